#include "ca/service/keys/ca_rollover.hpp"

#include <set>

#include "ca/crypto/pkcs11/pkcs11_uri.hpp"
#include "ca/crypto/pkcs11/token_key.hpp"
#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/csr.hpp"
#include "ca/crypto/x509/csr_request.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/service/keys/crl_urls.hpp"
#include "ca/service/keys/root_signing.hpp"
#include "ca/service/settings_keys.hpp"

namespace inkan::service {
namespace {

const char* const kOfflineSequence =
    "use `inkan ca csr --out FILE.csr`, sign it on the root's machine with `inkan root sign`, then "
    "`inkan ca import --cert FILE.pem`";

// Before any key is made: the URL given is valid, or one can be derived from the current CA's.
void check_crl_url(const std::optional<std::string>& given, const std::optional<CaRecord>& current) {
  if (given) return policy::validate_crl_url(*given);
  crl_url_for_new_ca(given, current, 0);
}

CaRecord require_root(Store& store) {
  auto root = store.cas().root();
  if (!root) throw Error(ErrorCode::InvalidState, "no root CA: run `inkan init` first");
  return *root;
}

std::string ca_name(Store& store, const CaRecord& root) {
  if (auto name = store.settings().get(settings_keys::kCaName)) return *name;
  return crypto::inspect_certificate(root.cert_der).subject_dn.organization;
}

// A certificate file as the root operator hands it back: PEM (the first certificate) or DER.
Bytes read_certificate(std::string_view text) {
  if (text.empty()) throw Error(ErrorCode::InvalidArgument, "the certificate file is empty");
  if (text.size() > kMaxCaCertFileBytes)
    throw Error(ErrorCode::InvalidArgument, "the certificate file is larger than a CA certificate can be");
  if (text.find("-----BEGIN") != std::string_view::npos) return crypto::pem_decode_all(text, "CERTIFICATE").front();
  return Bytes(text.begin(), text.end());
}

// The URI as stored: checked and in canonical form.
std::optional<TokenKeyRef> canonical_token(const std::optional<TokenKeyRef>& token) {
  if (!token) return std::nullopt;
  return TokenKeyRef{token->module_path, crypto::Pkcs11Uri::parse(token->uri).to_string()};
}

}  // namespace

DistinguishedName next_issuing_subject(Store& store, Timestamp now) {
  auto root = require_root(store);
  std::set<std::string> taken;
  for (const auto& ca : store.cas().list())
    taken.insert(crypto::inspect_certificate(ca.cert_der).subject_dn.common_name);
  if (auto pending = store.cas().pending_issuing()) {
    auto csr = crypto::parse_csr(std::string_view(reinterpret_cast<const char*>(pending->csr_der.data()),
                                                  pending->csr_der.size()));
    taken.insert(csr.subject.common_name);
  }
  const auto name = ca_name(store, root);
  for (unsigned generation = 1;; ++generation) {
    auto subject = policy::issuing_ca_subject(name, now, generation);
    if (!taken.count(subject.common_name)) return subject;
  }
}

std::vector<CaRecord> crl_signing_cas(Store& store) {
  std::vector<CaRecord> out;
  for (auto& ca : store.cas().list())
    if (ca.role == CaRole::Issuing && ca.key_held()) out.push_back(std::move(ca));
  return out;
}

CaRecord CaRollover::rollover(const RolloverOptions& o) {
  auto root = require_root(store_);
  if (!root.key_held())
    throw Error(ErrorCode::InvalidState, "the root key is offline (not in this data directory): " +
                                             std::string(kOfflineSequence));
  auto current = store_.cas().active_issuing();
  check_crl_url(o.crl_url, current);
  const KeyType key_type = o.issuing_key.value_or(current ? current->key_type : KeyType::Rsa3072);
  const auto& root_ca = keyring_.ca(store_, root.id);  // decrypts the root key first: a wrong passphrase changes nothing

  const auto now = clock_.now();
  const auto token = canonical_token(o.issuing_token);
  auto key = new_issuing_key(key_type, token);
  auto der = sign_issuing_ca(root_ca, next_issuing_subject(store_, now), key.public_key_der(), now, o.validity, rng_);
  auto encrypted = token ? std::string() : key.to_encrypted_pem(keyring_.passphrase(store_), rng_);
  return activate(der, std::move(encrypted), token, key_type, root, false, o.crl_url, "ca.rollover",
                  "key " + std::string(to_string(key_type)) + (token ? " on " + token->uri : "") + ", root held here");
}

crypto::PrivateKey CaRollover::new_issuing_key(KeyType type, const std::optional<TokenKeyRef>& token) {
  if (!token) return crypto::PrivateKey::generate(type, rng_);
  const auto& pin = keyring_.token_pin_source();
  if (!pin) throw Error(ErrorCode::InvalidState, "a token key needs a PIN source");
  return crypto::open_or_generate_token_key(*token, type, pin(*token), rng_).key;
}

CaRequest CaRollover::request(std::optional<KeyType> key_type, bool replace, const std::optional<TokenKeyRef>& token_in) {
  require_root(store_);
  if (auto pending = store_.cas().pending_issuing(); pending && !replace)
    throw Error(ErrorCode::AlreadyExists,
                "an issuing CA key is already pending since " + format_date(pending->created_at) +
                    ": import its certificate with `inkan ca import --cert FILE.pem`, or pass --replace to discard it");
  auto current = store_.cas().active_issuing();
  CaRequest out;
  out.key_type = key_type.value_or(current ? current->key_type : KeyType::Rsa3072);
  const auto now = clock_.now();
  const auto token = canonical_token(token_in);
  auto key = new_issuing_key(out.key_type, token);
  {
    // The replaced pending CA's name is free again.
    auto tx = store_.begin();
    if (replace) store_.cas().clear_pending_issuing();
    out.subject = next_issuing_subject(store_, now);
    out.csr_der = crypto::create_ca_csr(out.subject, key, rng_);
    PendingCa pending{out.key_type, token ? std::string() : key.to_encrypted_pem(keyring_.passphrase(store_), rng_),
                      out.csr_der, now, token};
    store_.cas().put_pending_issuing(pending);
    record(store_, clock_, actor_, "ca.csr", "ca:pending",
           "subject CN=" + out.subject.common_name + ", key " + std::string(to_string(out.key_type)) +
               (token ? " on " + token->uri : "") +
               (replace ? ", replaced the previous pending key" : ""));
    tx->commit();
  }
  return out;
}

CaRecord CaRollover::import(std::string_view text, const std::optional<std::string>& crl_url) {
  auto pending = store_.cas().pending_issuing();
  if (!pending)
    throw Error(ErrorCode::InvalidState, "no pending issuing CA: run `inkan ca csr --out FILE.csr` first");
  check_crl_url(crl_url, store_.cas().active_issuing());
  auto root = require_root(store_);
  auto der = read_certificate(text);
  auto info = crypto::inspect_certificate(der);
  auto csr = crypto::parse_csr(std::string_view(reinterpret_cast<const char*>(pending->csr_der.data()),
                                                pending->csr_der.size()));

  if (info.public_key_der != csr.public_key_der)
    throw Error(ErrorCode::PolicyViolation, "the certificate (" + info.subject +
                                                ") is not for the pending issuing CA key made by `inkan ca csr` on " +
                                                format_date(pending->created_at));
  if (!crypto::is_signed_by(der, root.cert_der))
    throw Error(ErrorCode::PolicyViolation, "the certificate (" + info.subject + ") is not signed by this CA's root (" +
                                                root.subject + ")");
  if (!info.is_ca || !crypto::may_sign_certificates(der))
    throw Error(ErrorCode::PolicyViolation, "the certificate (" + info.subject + ") is not a CA certificate");
  const auto now = clock_.now();
  if (now < info.not_before || now >= info.not_after)
    throw Error(ErrorCode::PolicyViolation, "the certificate is not valid now (valid " + format_date(info.not_before) +
                                                " to " + format_date(info.not_after) + ")");
  if (info.not_after > root.not_after)
    throw Error(ErrorCode::PolicyViolation, "the certificate outlives the root CA (" + format_date(root.not_after) + ")");
  for (const auto& ca : store_.cas().list())
    if (ca.cert_der == der || crypto::inspect_certificate(ca.cert_der).subject == info.subject)
      throw Error(ErrorCode::AlreadyExists, "a CA named " + info.subject + " already exists (id " +
                                                std::to_string(ca.id) + ")");
  // Decrypting the pending key proves the passphrase and that key and certificate match.
  crypto::SigningCa check(der, pending->token_key
                                   ? open_token_key(*pending->token_key, keyring_.token_pin_source())
                                   : crypto::PrivateKey::from_encrypted_pem(pending->encrypted_key_pem,
                                                                            keyring_.passphrase(store_)));

  return activate(der, pending->encrypted_key_pem, pending->token_key, pending->key_type, root, true, crl_url,
                  "ca.import", "key " + std::string(to_string(pending->key_type)) + ", signed by the offline root");
}

CaRecord CaRollover::activate(const Bytes& der, std::string encrypted_key_pem,
                              const std::optional<TokenKeyRef>& token, KeyType key_type, const CaRecord& root,
                              bool from_pending, const std::optional<std::string>& crl_url, std::string_view action,
                              const std::string& detail) {
  auto info = crypto::inspect_certificate(der);
  CaRecord rec;
  rec.role = CaRole::Issuing;
  rec.subject = info.subject;
  rec.cert_der = der;
  rec.encrypted_key_pem = std::move(encrypted_key_pem);
  rec.token_key = token;
  rec.key_type = key_type;
  rec.not_before = info.not_before;
  rec.not_after = info.not_after;
  rec.active = false;  // activate_issuing switches atomically below
  rec.parent_id = root.id;

  auto tx = store_.begin();
  auto previous = store_.cas().active_issuing();
  rec.id = store_.cas().add(rec);
  rec.crl_url = crl_url_for_new_ca(crl_url, previous, rec.id);
  assign_crl_url(store_, rec.id, rec.crl_url);
  store_.cas().activate_issuing(rec.id);
  if (from_pending) store_.cas().clear_pending_issuing();
  rec.active = true;
  record(store_, clock_, actor_, action, "ca:" + std::to_string(rec.id),
         info.subject + ", valid until " + format_date(info.not_after) + ", " + detail +
             (previous ? ", replaces ca:" + std::to_string(previous->id) + " (kept for its CRLs)" : "") +
             ", CRL URL " + rec.crl_url.value_or("(none)"));
  tx->commit();
  return rec;
}

}  // namespace inkan::service
