// PKCS#12 on OpenSSL 3.0 (design.md §3, §5). The only file in ca/ that includes OpenSSL.
//
// The file is assembled from safebags by hand rather than with PKCS12_create, because
// PKCS12_create writes friendlyName through PKCS12_add_friendlyname_asc, which widens each UTF-8
// octet on its own (a CN "Zoë" would become mojibake), and always MACs with SHA-1.
//
// Layout (the same as PKCS12_create's):
//   AuthenticatedSafe
//     [0] encryptedData (profile PBE): certBag leaf {friendlyName, localKeyID}, certBag CA...
//     [1] data: pkcs8ShroudedKeyBag (profile PBE) {friendlyName, localKeyID}
//   MacData (profile digest, 2048 iterations, 8-octet salt)
#include "ca/crypto/pkcs12/pkcs12.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/hmac.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <memory>
#include <string_view>

#include "ca/crypto/pkcs12/pkcs12_kdf.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {

namespace {

constexpr int kIterations = 2048;                    // encryption (PKCS#12 KDF / PBKDF2) and MAC
constexpr std::size_t kMaxP12Size = 1024 * 1024;     // untrusted input bound (design.md §7)
constexpr std::size_t kMaxDerSize = 256 * 1024;      // any one key or certificate we are given
constexpr std::size_t kMaxChainLength = 8;
constexpr std::size_t kMaxFriendlyNameSize = 512;    // octets of UTF-8
constexpr std::size_t kMaxPasswordSize = 256;

// ---- ownership ----------------------------------------------------------------------------

struct Pkcs12Free { void operator()(PKCS12* p) const { PKCS12_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct P8Free { void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); } };
struct BagsFree {
  void operator()(STACK_OF(PKCS12_SAFEBAG)* s) const { sk_PKCS12_SAFEBAG_pop_free(s, PKCS12_SAFEBAG_free); }
};
struct SafesFree { void operator()(STACK_OF(PKCS7)* s) const { sk_PKCS7_pop_free(s, PKCS7_free); } };
struct CertsFree { void operator()(STACK_OF(X509)* s) const { sk_X509_pop_free(s, X509_free); } };
// Buffers allocated by OpenSSL's i2d_* functions.
struct OsslFree { void operator()(unsigned char* p) const { OPENSSL_free(p); } };
struct AlgorFree { void operator()(X509_ALGOR* p) const { X509_ALGOR_free(p); } };
struct SigFree { void operator()(X509_SIG* p) const { X509_SIG_free(p); } };
struct Pkcs7Free { void operator()(PKCS7* p) const { PKCS7_free(p); } };
struct AnyFree { void operator()(ASN1_TYPE* p) const { ASN1_TYPE_free(p); } };
struct CipherCtxFree { void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); } };

using Pkcs12Ptr = std::unique_ptr<PKCS12, Pkcs12Free>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using P8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Free>;
using BagsPtr = std::unique_ptr<STACK_OF(PKCS12_SAFEBAG), BagsFree>;
using SafesPtr = std::unique_ptr<STACK_OF(PKCS7), SafesFree>;
using CertsPtr = std::unique_ptr<STACK_OF(X509), CertsFree>;

// ---- errors -------------------------------------------------------------------------------

// Drains OpenSSL's thread-local error queue into one line: "what: err1; err2".
std::string openssl_message(std::string_view what) {
  std::string msg(what);
  bool first = true;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    msg += first ? ": " : "; ";
    msg += buf;
    first = false;
  }
  return msg;
}

[[noreturn]] void throw_crypto(std::string_view what) {
  throw Error(ErrorCode::Crypto, openssl_message(what));
}

[[noreturn]] void throw_invalid(std::string_view what) {
  ERR_clear_error();
  throw Error(ErrorCode::InvalidArgument, std::string(what));
}

// Clears the error queue on entry and on every exit, so no stale entry leaks into a message
// here or into the caller's next OpenSSL call (TLS code shares the thread).
struct ErrorQueueGuard {
  ErrorQueueGuard() { ERR_clear_error(); }
  ~ErrorQueueGuard() { ERR_clear_error(); }
  ErrorQueueGuard(const ErrorQueueGuard&) = delete;
  ErrorQueueGuard& operator=(const ErrorQueueGuard&) = delete;
};

// ---- input checks -------------------------------------------------------------------------

void check_password(const std::string& password) {
  if (password.empty()) throw_invalid("p12 password must not be empty");
  if (password.size() > kMaxPasswordSize) throw_invalid("p12 password is too long");
  for (char c : password) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e)
      throw_invalid("p12 password must be printable ASCII (Java and node-forge reject other characters)");
  }
}

// Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF), no control characters.
bool valid_friendly_name(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (c < 0x80) { cp = c; len = 1; }
    else if (c >= 0xc2 && c <= 0xdf) { cp = c & 0x1fu; len = 2; }
    else if (c >= 0xe0 && c <= 0xef) { cp = c & 0x0fu; len = 3; }
    else if (c >= 0xf0 && c <= 0xf4) { cp = c & 0x07u; len = 4; }
    else return false;
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) return false;
    i += len;
  }
  return true;
}

X509Ptr parse_cert(const Bytes& der, std::string_view field) {
  if (der.empty() || der.size() > kMaxDerSize)
    throw_invalid(std::string(field) + ": certificate is empty or too large");
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size())
    throw_invalid(std::string(field) + ": not a DER certificate");
  return cert;
}

P8Ptr parse_p8(const Bytes& der) {
  if (der.empty() || der.size() > kMaxDerSize)
    throw_invalid("private_key_pkcs8_der: empty or too large");
  const unsigned char* p = der.data();
  P8Ptr p8(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!p8 || p != der.data() + der.size())
    throw_invalid("private_key_pkcs8_der: not a DER PKCS#8 PrivateKeyInfo");
  return p8;
}

// i2d into a Bytes, cleansing OpenSSL's copy (it may hold a private key).
template <typename T, typename F>
Bytes to_der(T* obj, F i2d, std::string_view what) {
  unsigned char* raw = nullptr;
  const int len = i2d(obj, &raw);
  if (len <= 0 || raw == nullptr) throw_crypto(what);
  std::unique_ptr<unsigned char, OsslFree> owned(raw);
  Bytes out(raw, raw + len);
  OPENSSL_cleanse(raw, static_cast<std::size_t>(len));
  return out;
}

struct Profile {
  int nid_key;   // NID for PKCS12_add_key: a PBE NID (PKCS#12 PBE) or a cipher NID (PBES2)
  int nid_cert;  // NID for PKCS12_add_safe
  const EVP_MD* mac_md;
};

Profile profile_params(P12Profile profile) {
  switch (profile) {
    case P12Profile::Compat:
      return {NID_pbe_WithSHA1And3_Key_TripleDES_CBC, NID_pbe_WithSHA1And3_Key_TripleDES_CBC, EVP_sha1()};
    case P12Profile::Modern:
      // A cipher NID makes OpenSSL 3.0 write PBES2 with PBKDF2; its default PRF is
      // hmacWithSHA256 (checked by the tests through `openssl pkcs12 -info`).
      return {NID_aes_256_cbc, NID_aes_256_cbc, EVP_sha256()};
  }
  throw_invalid("unknown p12 profile");
}

void add_leaf_attributes(PKCS12_SAFEBAG* bag, const std::string& friendly_name,
                         const unsigned char* key_id, int key_id_len) {
  if (!friendly_name.empty() &&
      !PKCS12_add_friendlyname_utf8(bag, friendly_name.c_str(), static_cast<int>(friendly_name.size())))
    throw_crypto("cannot add friendlyName");
  if (!PKCS12_add_localkeyid(bag, const_cast<unsigned char*>(key_id), key_id_len))
    throw_crypto("cannot add localKeyID");
}


// ---- the compat profile's PBE, with our own PKCS#12 KDF (pkcs12_kdf.hpp says why) ----------

constexpr int kSaltSize = 8;  // what OpenSSL writes (PKCS5_SALT_LEN)

Bytes random_salt() {
  Bytes salt(kSaltSize);
  if (RAND_bytes(salt.data(), kSaltSize) != 1) throw_crypto("cannot draw a salt");
  return salt;
}

// pbeWithSHAAnd3-KeyTripleDES-CBC of `plain`, and its AlgorithmIdentifier.
std::unique_ptr<X509_ALGOR, AlgorFree> des3_pbe_encrypt(const std::string& pass, const Bytes& plain, Bytes& out) {
  auto salt = random_salt();
  std::unique_ptr<X509_ALGOR, AlgorFree> alg(
      PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, kIterations, salt.data(), kSaltSize));
  if (!alg) throw_crypto("cannot encode the PBE parameters");
  auto key = pkcs12_kdf_sha1(pass, salt, kIterations, Pkcs12KdfPurpose::Key, 24);
  auto iv = pkcs12_kdf_sha1(pass, salt, kIterations, Pkcs12KdfPurpose::Iv, 8);
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  out.assign(plain.size() + 8, 0);
  int n1 = 0, n2 = 0;
  const bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_des_ede3_cbc(), nullptr, key.data(), iv.data()) == 1 &&
                  EVP_EncryptUpdate(ctx.get(), out.data(), &n1, plain.data(), static_cast<int>(plain.size())) == 1 &&
                  EVP_EncryptFinal_ex(ctx.get(), out.data() + n1, &n2) == 1;
  OPENSSL_cleanse(key.data(), key.size());
  if (!ok) throw_crypto("cannot encrypt with 3DES");
  out.resize(static_cast<std::size_t>(n1 + n2));
  return alg;
}

// The shrouded key bag, as PKCS12_SAFEBAG_create_pkcs8_encrypt_ex writes it.
PKCS12_SAFEBAG* compat_key_bag(const PKCS8_PRIV_KEY_INFO* p8, const std::string& pass) {
  Bytes plain = to_der(p8, i2d_PKCS8_PRIV_KEY_INFO, "cannot encode the private key");
  Bytes enc;
  auto alg = des3_pbe_encrypt(pass, plain, enc);
  OPENSSL_cleanse(plain.data(), plain.size());
  std::unique_ptr<X509_SIG, SigFree> sig(X509_SIG_new());
  X509_ALGOR* sig_alg = nullptr;
  ASN1_OCTET_STRING* sig_data = nullptr;
  if (sig) X509_SIG_getm(sig.get(), &sig_alg, &sig_data);
  if (!sig_alg || !sig_data || !X509_ALGOR_copy(sig_alg, alg.get()) ||
      !ASN1_OCTET_STRING_set(sig_data, enc.data(), static_cast<int>(enc.size())))
    throw_crypto("cannot build the shrouded key");
  PKCS12_SAFEBAG* bag = PKCS12_SAFEBAG_create0_pkcs8(sig.get());
  if (!bag) throw_crypto("cannot build the key bag");
  sig.release();
  return bag;
}

// The encrypted certificate safe, as PKCS12_pack_p7encdata_ex writes it.
PKCS7* compat_cert_safe(STACK_OF(PKCS12_SAFEBAG)* bags, const std::string& pass) {
  unsigned char* raw = nullptr;
  const int len = ASN1_item_i2d(reinterpret_cast<const ASN1_VALUE*>(bags), &raw, ASN1_ITEM_rptr(PKCS12_SAFEBAGS));
  if (len <= 0 || !raw) throw_crypto("cannot encode the certificate bags");
  std::unique_ptr<unsigned char, OsslFree> owned(raw);
  Bytes enc;
  auto alg = des3_pbe_encrypt(pass, Bytes(raw, raw + len), enc);
  std::unique_ptr<PKCS7, Pkcs7Free> p7(PKCS7_new());
  if (!p7 || !PKCS7_set_type(p7.get(), NID_pkcs7_encrypted)) throw_crypto("cannot build the certificate safe");
  auto* content = p7->d.encrypted->enc_data;
  X509_ALGOR_free(content->algorithm);
  content->algorithm = alg.release();
  ASN1_OCTET_STRING_free(content->enc_data);
  content->enc_data = ASN1_OCTET_STRING_new();
  if (!content->enc_data || !ASN1_OCTET_STRING_set(content->enc_data, enc.data(), static_cast<int>(enc.size())))
    throw_crypto("cannot build the certificate safe");
  return p7.release();
}

// HMAC-SHA1 over the authenticated safe, as PKCS12_set_mac computes it.
void compat_mac(PKCS12* p12, STACK_OF(PKCS7)* safes, const std::string& pass) {
  auto salt = random_salt();
  if (!PKCS12_setup_mac(p12, kIterations, salt.data(), kSaltSize, EVP_sha1())) throw_crypto("cannot set up the MAC");
  unsigned char* raw = nullptr;
  const int len = ASN1_item_i2d(reinterpret_cast<const ASN1_VALUE*>(safes), &raw, ASN1_ITEM_rptr(PKCS12_AUTHSAFES));
  if (len <= 0 || !raw) throw_crypto("cannot encode the authenticated safe");
  std::unique_ptr<unsigned char, OsslFree> owned(raw);
  auto key = pkcs12_kdf_sha1(pass, salt, kIterations, Pkcs12KdfPurpose::Mac, 20);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  const bool ok = HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), raw, static_cast<std::size_t>(len), mac,
                       &mac_len) != nullptr;
  OPENSSL_cleanse(key.data(), key.size());
  if (!ok) throw_crypto("cannot compute the PKCS#12 MAC");
  // OpenSSL 3.0 offers no setter for the MAC value; the octet string is ours (p12 owns it).
  const ASN1_OCTET_STRING* value = nullptr;
  PKCS12_get0_mac(&value, nullptr, nullptr, nullptr, p12);
  if (!value || !ASN1_OCTET_STRING_set(const_cast<ASN1_OCTET_STRING*>(value), mac, static_cast<int>(mac_len)))
    throw_crypto("cannot store the PKCS#12 MAC");
}

// A certBag straight from the certificate's DER (an ANY holding its encoding), as
// PKCS12_SAFEBAG_create_cert writes it from an X509, without building one.
PKCS12_SAFEBAG* cert_bag(const Bytes& der) {
  std::unique_ptr<ASN1_TYPE, AnyFree> any(ASN1_TYPE_new());
  ASN1_STRING* seq = ASN1_STRING_type_new(V_ASN1_SEQUENCE);
  if (!any || !seq || !ASN1_STRING_set(seq, der.data(), static_cast<int>(der.size()))) {
    ASN1_STRING_free(seq);
    throw_crypto("cannot wrap a certificate");
  }
  ASN1_TYPE_set(any.get(), V_ASN1_SEQUENCE, seq);
  PKCS12_SAFEBAG* bag = PKCS12_item_pack_safebag(any.get(), ASN1_ITEM_rptr(ASN1_ANY), NID_x509Certificate, NID_certBag);
  if (!bag) throw_crypto("cannot add a certificate");
  return bag;
}

// Chain certificates are the same few CAs for every credential: each thread checks a given DER
// once. (Parsing an X509 in OpenSSL 3 runs the provider decoders on its key: 1.5 M instructions.)
void check_chain_cert(const Bytes& der, std::size_t index) {
  thread_local std::vector<Bytes> checked;
  if (std::find(checked.begin(), checked.end(), der) != checked.end()) return;
  parse_cert(der, "chain_der[" + std::to_string(index) + "]");
  if (checked.size() >= 16) checked.clear();
  checked.push_back(der);
}

void push_bag(BagsPtr& bags, PKCS12_SAFEBAG* bag) {
  if (!bags) bags.reset(sk_PKCS12_SAFEBAG_new_null());
  if (!bags || !sk_PKCS12_SAFEBAG_push(bags.get(), bag)) {
    PKCS12_SAFEBAG_free(bag);
    throw_crypto("cannot collect the safe bags");
  }
}

}  // namespace

Bytes build_pkcs12(const Pkcs12Input& in) {
  ErrorQueueGuard guard;
  check_password(in.password);
  if (in.friendly_name.size() > kMaxFriendlyNameSize || !valid_friendly_name(in.friendly_name))
    throw_invalid("friendly_name: must be valid UTF-8 without control characters, at most 512 octets");
  if (in.chain_der.size() > kMaxChainLength) throw_invalid("chain_der: too many certificates");
  const Profile prof = profile_params(in.profile);

  for (std::size_t i = 0; i < in.chain_der.size(); ++i) check_chain_cert(in.chain_der[i], i);
  P8Ptr p8 = parse_p8(in.private_key_pkcs8_der);
  if (in.check_key_matches_cert) {
    X509Ptr leaf = parse_cert(in.cert_der, "cert_der");
    PkeyPtr key(EVP_PKCS82PKEY(p8.get()));
    if (!key) throw_invalid("private_key_pkcs8_der: unsupported or malformed private key");
    if (X509_check_private_key(leaf.get(), key.get()) != 1)
      throw_invalid("private_key_pkcs8_der: the key does not match the certificate");
  } else if (in.cert_der.empty() || in.cert_der.size() > kMaxDerSize || in.cert_der[0] != 0x30) {
    throw_invalid("cert_der: certificate is empty, too large or not a DER SEQUENCE");
  }

  // localKeyID = SHA-1 of the leaf DER (what OpenSSL, NSS and Windows write and match on).
  unsigned char key_id[EVP_MAX_MD_SIZE];
  unsigned int key_id_len = 0;
  if (!EVP_Digest(in.cert_der.data(), in.cert_der.size(), key_id, &key_id_len, EVP_sha1(), nullptr))
    throw_crypto("cannot hash the certificate");
  const bool compat = in.profile == P12Profile::Compat;
  const char* pass = in.password.c_str();

  // Certificates: the leaf with its attributes, then the chain without any.
  BagsPtr cert_bags;
  push_bag(cert_bags, cert_bag(in.cert_der));
  add_leaf_attributes(sk_PKCS12_SAFEBAG_value(cert_bags.get(), 0), in.friendly_name, key_id,
                      static_cast<int>(key_id_len));
  for (const auto& der : in.chain_der) push_bag(cert_bags, cert_bag(der));

  // The key, shrouded with the profile's PBE, from the PKCS#8 as given.
  BagsPtr key_bags;
  {
    PKCS12_SAFEBAG* bag = compat ? compat_key_bag(p8.get(), in.password)
                                 : PKCS12_SAFEBAG_create_pkcs8_encrypt_ex(prof.nid_key, pass, -1, nullptr, 0,
                                                                          kIterations, p8.get(), nullptr, nullptr);
    if (!bag) throw_crypto("cannot encrypt the private key");
    push_bag(key_bags, bag);
    add_leaf_attributes(bag, in.friendly_name, key_id, static_cast<int>(key_id_len));
  }

  // The authenticated safe. Never pass nid_safe 0: OpenSSL's default is RC2-40.
  SafesPtr safes(sk_PKCS7_new_null());
  if (!safes) throw_crypto("cannot build the safes");
  if (compat) {
    PKCS7* p7 = compat_cert_safe(cert_bags.get(), in.password);
    if (!sk_PKCS7_push(safes.get(), p7)) {
      PKCS7_free(p7);
      throw_crypto("cannot add the certificate safe");
    }
  } else {
    STACK_OF(PKCS7)* raw = safes.release();
    const int ok = PKCS12_add_safe(&raw, cert_bags.get(), prof.nid_cert, kIterations, pass);
    safes.reset(raw);
    if (!ok) throw_crypto("cannot encrypt the certificates");
  }
  {
    STACK_OF(PKCS7)* raw = safes.release();
    const int ok = PKCS12_add_safe(&raw, key_bags.get(), -1, 0, nullptr);  // plain data
    safes.reset(raw);
    if (!ok) throw_crypto("cannot add the key safe");
  }

  Pkcs12Ptr p12(PKCS12_add_safes(safes.get(), NID_pkcs7_data));
  if (!p12) throw_crypto("cannot build the PKCS#12 structure");
  if (compat) {
    compat_mac(p12.get(), safes.get(), in.password);
  } else if (!PKCS12_set_mac(p12.get(), pass, -1, nullptr, 0, kIterations, prof.mac_md)) {
    throw_crypto("cannot compute the PKCS#12 MAC");
  }

  return to_der(p12.get(), i2d_PKCS12, "cannot encode the PKCS#12 file");
}

Pkcs12Contents parse_pkcs12(const Bytes& p12_der, const std::string& password) {
  ErrorQueueGuard guard;
  if (p12_der.empty()) throw_invalid("p12: empty input");
  if (p12_der.size() > kMaxP12Size) throw_invalid("p12: larger than 1 MiB");
  check_password(password);

  const unsigned char* p = p12_der.data();
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, static_cast<long>(p12_der.size())));
  if (!p12 || p != p12_der.data() + p12_der.size()) throw_invalid("p12: not a DER PKCS#12 file");
  if (!PKCS12_mac_present(p12.get())) throw_invalid("p12: no MAC (unauthenticated files are refused)");

  // PKCS12_verify_mac returns 0 without an error entry for a mismatch, and raises an error when
  // the MAC cannot be computed (unknown digest, malformed MacData).
  if (!PKCS12_verify_mac(p12.get(), password.c_str(), -1)) {
    if (ERR_peek_error() != 0) {
      const std::string msg = openssl_message("p12: cannot verify the MAC");
      throw Error(ErrorCode::InvalidArgument, msg);
    }
    throw Error(ErrorCode::WrongPassphrase, "wrong p12 password");
  }

  EVP_PKEY* raw_key = nullptr;
  X509* raw_cert = nullptr;
  STACK_OF(X509)* raw_ca = nullptr;
  const int ok = PKCS12_parse(p12.get(), password.c_str(), &raw_key, &raw_cert, &raw_ca);
  PkeyPtr key(raw_key);
  X509Ptr cert(raw_cert);
  CertsPtr ca(raw_ca);
  if (!ok) {
    const std::string msg = openssl_message("p12: malformed contents");
    throw Error(ErrorCode::InvalidArgument, msg);
  }
  if (!key) throw_invalid("p12: no private key");
  if (!cert) throw_invalid("p12: no certificate matching the private key");

  Pkcs12Contents out;
  {
    P8Ptr p8(EVP_PKEY2PKCS8(key.get()));
    if (!p8) throw_crypto("p12: cannot encode the private key");
    out.private_key_pkcs8_der = to_der(p8.get(), i2d_PKCS8_PRIV_KEY_INFO, "p12: cannot encode the private key");
  }
  out.cert_der = to_der(cert.get(), i2d_X509, "p12: cannot encode the certificate");
  if (ca) {
    const int n = sk_X509_num(ca.get());
    for (int i = 0; i < n; ++i)
      out.chain_der.push_back(to_der(sk_X509_value(ca.get(), i), i2d_X509, "p12: cannot encode a certificate"));
  }
  // PKCS12_parse stores the leaf's friendlyName, converted to UTF-8, as the X509 alias.
  int alias_len = 0;
  if (const unsigned char* alias = X509_alias_get0(cert.get(), &alias_len); alias && alias_len > 0)
    out.friendly_name.assign(reinterpret_cast<const char*>(alias), static_cast<std::size_t>(alias_len));
  return out;
}

}  // namespace inkan::crypto
