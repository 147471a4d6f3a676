#include "ca/service/keys/ca_setup.hpp"

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/pkcs11/pkcs11_uri.hpp"
#include "ca/crypto/pkcs11/token_key.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/service/keys/root_signing.hpp"
#include "ca/service/files/secret_file.hpp"
#include "ca/service/settings_keys.hpp"
#include "ca/service/issuance/linted_signing.hpp"

namespace inkan::service {
namespace {

CaRecord make_record(CaRole role, const Bytes& der, std::string encrypted_key, KeyType type) {
  auto info = crypto::inspect_certificate(der);
  CaRecord r;
  r.role = role;
  r.subject = info.subject;
  r.cert_der = der;
  r.encrypted_key_pem = std::move(encrypted_key);
  r.key_type = type;
  r.not_before = info.not_before;
  r.not_after = info.not_after;
  r.active = role == CaRole::Issuing;
  return r;
}

// A CA key for init: generated in memory, or found or generated on a token.
crypto::PrivateKey new_ca_key(KeyType type, const std::optional<TokenKeyRef>& token,
                              const Keyring::TokenPinSource& pin, crypto::Rng& rng) {
  if (!token) return crypto::PrivateKey::generate(type, rng);
  if (!pin) throw Error(ErrorCode::InvalidState, "a token key needs a PIN source");
  return crypto::open_or_generate_token_key(*token, type, pin(*token), rng).key;
}

// The URI as stored: checked and in canonical form.
std::optional<TokenKeyRef> canonical(const std::optional<TokenKeyRef>& token) {
  if (!token) return std::nullopt;
  return TokenKeyRef{token->module_path, crypto::Pkcs11Uri::parse(token->uri).to_string()};
}

}  // namespace

bool is_initialised(Store& store) {
  return store.cas().root().has_value() || store.settings().get(settings_keys::kKdfSalt).has_value();
}

void validate_init(std::string_view passphrase, const InitOptions& o) {
  policy::validate_display_name(o.name, "CA name");
  if (o.crl_url) policy::validate_crl_url(*o.crl_url);
  if (o.ocsp_url) policy::validate_ocsp_url(*o.ocsp_url);
  if (passphrase.size() < 8)
    throw Error(ErrorCode::InvalidArgument, "passphrase too short: use at least 8 characters");
  if (o.root_token) crypto::Pkcs11Uri::parse(o.root_token->uri);
  if (o.issuing_token) crypto::Pkcs11Uri::parse(o.issuing_token->uri);
  if (o.root_token && o.issuing_token && o.root_token->uri == o.issuing_token->uri &&
      o.root_token->module_path == o.issuing_token->module_path)
    throw Error(ErrorCode::InvalidArgument, "the root and the issuing CA need two keys: give them different URIs");
  if (o.offline_root && std::filesystem::exists(*o.offline_root))
    throw Error(ErrorCode::AlreadyExists, "--offline-root file " + o.offline_root->string() + " already exists");
}

InitResult initialise_ca(Store& store, const Clock& clock, crypto::Rng& rng, std::string_view passphrase,
                         const InitOptions& o, const Actor& actor) {
  validate_init(passphrase, o);
  if (is_initialised(store))
    throw Error(ErrorCode::AlreadyExists, "this data directory already holds a CA");

  const auto now = clock.now();
  const auto root_token = canonical(o.root_token);
  const auto issuing_token = canonical(o.issuing_token);
  auto root_key = new_ca_key(o.root_key, root_token, o.token_pin, rng);
  auto root_tmpl = policy::root_ca_template(o.name, crypto::random_serial(rng), now, o.root_validity);
  auto root_der = self_sign_linted(root_tmpl, root_key, rng);
  auto root_pem_key = root_token ? std::string() : root_key.to_encrypted_pem(passphrase, rng);

  auto issuing_key = new_ca_key(o.issuing_key, issuing_token, o.token_pin, rng);
  auto issuing_tmpl = policy::issuing_ca_template(o.name, crypto::random_serial(rng), now, o.issuing_validity);
  policy::check_within_issuer(issuing_tmpl, root_tmpl.not_after);
  crypto::SigningCa root_ca(root_der, std::move(root_key));
  auto issuing_der = sign_linted(root_ca, issuing_tmpl, issuing_key.public_key_der(), rng);
  auto issuing_pem_key = issuing_token ? std::string() : issuing_key.to_encrypted_pem(passphrase, rng);

  auto keyring = Keyring::create(passphrase, rng);

  // The offline root file is written before the database commit and removed if that fails, so a
  // failed init leaves neither behind.
  if (o.offline_root)
    write_secret_file(*o.offline_root, (root_token ? token_reference_text(*root_token) : root_pem_key) +
                                           crypto::pem_encode(root_der, "CERTIFICATE"));
  try {
    auto tx = store.begin();
    InitResult result;
    result.root = make_record(CaRole::Root, root_der, o.offline_root ? "" : root_pem_key, o.root_key);
    if (!o.offline_root) result.root.token_key = root_token;
    result.root.id = store.cas().add(result.root);
    result.issuing = make_record(CaRole::Issuing, issuing_der, issuing_pem_key, o.issuing_key);
    result.issuing.parent_id = result.root.id;
    result.issuing.crl_url = o.crl_url;
    result.issuing.token_key = issuing_token;
    result.issuing.id = store.cas().add(result.issuing);
    store.settings().put(settings_keys::kCaName, o.name);
    if (o.ocsp_url) store.settings().put(settings_keys::kOcspUrl, *o.ocsp_url);
    keyring.store_wrapped(store, rng);  // installs the sealer of the security tables' digests
    store.security_tables().reseal_all();  // every table sealed from the start, empty ones too
    record(store, clock, actor, "ca.init", "ca:" + std::to_string(result.root.id),
           "root " + std::string(to_string(o.root_key)) + (o.offline_root ? " (offline)" : "") +
               (root_token ? " on " + root_token->uri : "") + ", issuing " + std::string(to_string(o.issuing_key)) +
               (issuing_token ? " on " + issuing_token->uri : ""));
    tx->commit();
    return result;
  } catch (...) {
    if (o.offline_root) std::filesystem::remove(*o.offline_root);
    throw;
  }
}

}  // namespace inkan::service
