#include "ca/crypto/x509/openssl_rsa_key.hpp"

#include <botan/hash.h>
#include <botan/pk_ops.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct P8Free {
  // PKCS8_PRIV_KEY_INFO's free clears the private key octets before releasing them.
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};
using SharedPkey = std::shared_ptr<EVP_PKEY>;

// OpenSSL's reason for the last failure (never key material), and an empty queue for the next call.
[[noreturn]] void fail(const std::string& what) {
  const unsigned long code = ERR_peek_last_error();
  char reason[256] = "no reason given";
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  ERR_clear_error();
  throw Error(ErrorCode::Crypto, "OpenSSL RSA signing: " + what + ": " + reason);
}

// "EMSA3(SHA-256)" -> "SHA-256": the padding X509_CA's choose_sig_format asks an RSA key for.
// Anything but PKCS#1 v1.5 (PSS, raw) is refused: this key implements that padding only.
std::string hash_of_padding(const std::string& padding) {
  const auto open = padding.find('('), close = padding.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    const auto emsa = padding.substr(0, open);
    if (emsa == "EMSA3" || emsa == "EMSA_PKCS1" || emsa == "PKCS1v15")
      return padding.substr(open + 1, close - open - 1);
  }
  throw Error(ErrorCode::Crypto, "OpenSSL RSA signing: unsupported signature padding " + padding);
}

const EVP_MD* openssl_digest(const std::string& hash) {
  if (hash == "SHA-256") return EVP_sha256();
  if (hash == "SHA-384") return EVP_sha384();
  if (hash == "SHA-512") return EVP_sha512();
  throw Error(ErrorCode::Crypto, "OpenSSL RSA signing: unsupported hash " + hash);
}

// One operation per Botan PK_Signer, that is per thread signing at once (SignerPool): its own
// hash and EVP_PKEY_CTX, set up once and used for every signature; the EVP_PKEY is shared by all
// of them (OpenSSL 3 signs with one key from several threads; its RSA blinding takes a lock
// for the threads after the first). The message is hashed here with Botan, as Botan's own RSA
// operation does; OpenSSL wraps the digest in its DigestInfo, pads and signs. OpenSSL blinds with
// its own random generator: the signature itself takes no randomness, so the injected one is
// not needed (and not used) here.
class OpensslRsaSignature final : public Botan::PK_Ops::Signature {
 public:
  OpensslRsaSignature(SharedPkey key, const std::string& hash, std::size_t length)
      : key_(std::move(key)), hash_(Botan::HashFunction::create_or_throw(hash)), length_(length) {
    ctx_.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    if (!ctx_) fail("no context");
    if (EVP_PKEY_sign_init(ctx_.get()) != 1) fail("sign_init");
    if (EVP_PKEY_CTX_set_rsa_padding(ctx_.get(), RSA_PKCS1_PADDING) != 1) fail("padding");
    if (EVP_PKEY_CTX_set_signature_md(ctx_.get(), openssl_digest(hash)) != 1) fail("digest");
  }

  void update(const uint8_t msg[], size_t len) override { hash_->update(msg, len); }

  Botan::secure_vector<uint8_t> sign(Botan::RandomNumberGenerator&) override {
    const auto digest = hash_->final();  // also resets the hash for the next message
    Botan::secure_vector<uint8_t> sig(length_);
    std::size_t len = sig.size();
    if (EVP_PKEY_sign(ctx_.get(), sig.data(), &len, digest.data(), digest.size()) != 1) fail("sign");
    if (len != length_) throw Error(ErrorCode::Crypto, "OpenSSL RSA signing: a signature of " + std::to_string(len) + " octets, not " + std::to_string(length_));
    return sig;
  }

  size_t signature_length() const override { return length_; }

 private:
  SharedPkey key_;
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx_;
  std::unique_ptr<Botan::HashFunction> hash_;
  std::size_t length_;
};

// The public half is Botan's (the X.509 code reads the algorithm and modulus from it); the
// private half is the EVP_PKEY. Like the token keys, the most derived class builds the public key.
class OpensslRsaKey final : public Botan::RSA_PublicKey, public Botan::Private_Key {
 public:
  OpensslRsaKey(const Botan::RSA_PublicKey& pub, SharedPkey key)
      : Botan::RSA_PublicKey(pub.get_n(), pub.get_e()), key_(std::move(key)) {}

  Botan::secure_vector<uint8_t> private_key_bits() const override {
    throw Error(ErrorCode::InvalidState, "a signing key: its private part is not exported from here");
  }

  std::unique_ptr<Botan::PK_Ops::Signature> create_signature_op(Botan::RandomNumberGenerator&,
                                                                const std::string& params,
                                                                const std::string&) const override {
    return std::make_unique<OpensslRsaSignature>(key_, hash_of_padding(params), get_n().bytes());
  }

 private:
  SharedPkey key_;
};

SharedPkey evp_key_of(const Botan::Private_Key& rsa) {
  const auto der = Botan::PKCS8::BER_encode(rsa);  // secure_vector: wiped when it goes
  const unsigned char* p = der.data();
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8Free> p8(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(der.size())));
  if (!p8 || p != der.data() + der.size()) fail("the key's PKCS#8 does not parse");
  SharedPkey key(EVP_PKCS82PKEY(p8.get()), PkeyFree{});
  if (!key) fail("the key's PKCS#8 does not convert");
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) throw Error(ErrorCode::Crypto, "OpenSSL RSA signing: not an RSA key");
  return key;
}

}  // namespace

std::unique_ptr<Botan::Private_Key> openssl_rsa_signing_key(const Botan::Private_Key& rsa) {
  const auto* pub = dynamic_cast<const Botan::RSA_PublicKey*>(&rsa);
  if (pub == nullptr) throw Error(ErrorCode::Crypto, "OpenSSL RSA signing: not an RSA key");
  return std::make_unique<OpensslRsaKey>(*pub, evp_key_of(rsa));
}

bool signs_with_openssl(const Botan::Private_Key& key) { return dynamic_cast<const OpensslRsaKey*>(&key) != nullptr; }

}  // namespace inkan::crypto
