#include "web/app.hpp"

#include "ca/service/display_time_zone.hpp"
#include "ca/service/security_digest.hpp"

#include <map>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/secrets/mac.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/crypto/secrets/sealing.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/keys/crl_urls.hpp"
#include "ca/service/keys/root_crl.hpp"
#include "ca/service/lifecycle/predecessor_policy.hpp"
#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/crypto/x509/crl_info.hpp"
#include "web/monitoring/metrics_registry.hpp"

namespace inkan::web {
namespace {

constexpr std::chrono::minutes kCrlMaxAge{5};
constexpr std::chrono::hours kCrlLifetime{24 * 7};

struct ThreadResources {
  const App* owner = nullptr;
  std::unique_ptr<Store> store;
  std::unique_ptr<crypto::Rng> rng;
};
thread_local ThreadResources t_resources;

ThreadResources& resources_for(const App* app) {
  if (t_resources.owner != app) {
    t_resources.store.reset();
    t_resources.rng.reset();
    t_resources.owner = app;
  }
  return t_resources;
}

}  // namespace

struct App::CrlCache {
  std::mutex mutex;
  std::map<std::int64_t, Timestamp> next_update;  // of the CRL this node last served, by CA
};

App::App(std::filesystem::path data_dir, service::Keyring& keyring, service::AdminLoginPolicy admin_policy,
         const Clock& clock)
    : dir_(std::move(data_dir)), keyring_(keyring), clock_(clock), admin_policy_(std::move(admin_policy)),
      crl_(std::make_unique<CrlCache>()) {
  form_secrets_ = std::make_shared<const service::FormSecrets>(
      service::FormSecretStore(store(), keyring_.data_key(), clock_, rng(), service::Actor{"serve"}).ensure());
  ocsp_ = std::make_unique<service::OcspResponder>(keyring_, clock_, service::Actor{"serve:ocsp"});
  time_zone_ = service::display_time_zone(store());
  // Loads the zone (TZ, tzset) now, while start-up is single-threaded: requests then only read it.
  (void)time_zone_.local(clock_.now());
}

App::~App() = default;

Store& App::store() {
  auto& r = resources_for(this);
  if (!r.store) {
    r.store = service::open_data_dir(dir_);
    // This thread's connection keeps the security tables' digests current too (issue 14 item 5).
    service::install_security_sealer(*r.store, keyring_.data_key());
  }
  return *r.store;
}

crypto::Rng& App::rng() {
  auto& r = resources_for(this);
  if (!r.rng) r.rng = crypto::Rng::system();
  return *r.rng;
}

Presented App::presented(const Request& req) {
  Presented p;
  if (req.client_cert_rejected) {
    p.present = true;
    metrics().certificate_refused(CertificateRefusal::Unknown);
    return p;
  }
  if (!req.client_cert_der) {
    metrics().certificate_refused(CertificateRefusal::NoCertificate);
    return p;
  }
  p.present = true;
  p.sha256 = crypto::sha256_hex(*req.client_cert_der);
  p.holder = service::SelfService(store(), keyring_, clock_, rng()).identify(p.sha256);
  switch (p.holder.access) {
    case service::HolderAccess::Granted: break;
    case service::HolderAccess::Expired: metrics().certificate_refused(CertificateRefusal::Expired); break;
    case service::HolderAccess::NotYetValid: metrics().certificate_refused(CertificateRefusal::NotYetValid); break;
    case service::HolderAccess::Revoked: metrics().certificate_refused(CertificateRefusal::Revoked); break;
    case service::HolderAccess::Unknown: metrics().certificate_refused(CertificateRefusal::Unknown); break;
  }
  return p;
}

// Renewals run in parallel on the worker threads: the keyring is thread-safe, each thread has
// its own connection and generator, and the store settles races (one successor per certificate).
service::RenewalResult App::renew(const service::Holder& holder, std::optional<P12Profile> profile) {
  return service::SelfService(store(), keyring_, clock_, rng()).renew(holder, profile);
}

CertificateRecord App::reenroll(const service::Holder& holder, std::string_view csr) {
  return service::SelfService(store(), keyring_, clock_, rng()).reenroll(holder, csr);
}

std::optional<Serial> App::reused_key(const service::Holder& holder, std::string_view csr) {
  return service::SelfService(store(), keyring_, clock_, rng()).reused_key(holder, csr);
}

Bytes App::successor_p12(const service::Holder& holder, const Serial& serial, std::optional<P12Profile> profile) {
  return service::SelfService(store(), keyring_, clock_, rng()).successor_p12(holder, serial, profile);
}

std::string App::successor_file_stem(const service::Holder& holder, const Serial& serial) {
  return service::SelfService(store(), keyring_, clock_, rng()).successor_file_stem(holder, serial);
}

std::optional<P12Profile> App::delivered_profile(const service::Holder& holder) {
  return service::SelfService(store(), keyring_, clock_, rng()).delivered_profile(holder);
}

std::string App::tenant_name(const std::string& tenant_id) {
  auto tenant = store().tenants().find(tenant_id);
  return tenant ? tenant->name : std::string();
}

std::map<std::string, std::string> App::tenant_names() {
  std::map<std::string, std::string> names;
  for (const auto& t : store().tenants().list()) names[t.id] = t.name;
  return names;
}

namespace {
constexpr std::string_view kPortalCsrf = "inkan portal csrf v1|";
constexpr std::string_view kLoginCsrf = "inkan admin login csrf v1|";
}  // namespace

std::shared_ptr<const service::FormSecrets> App::form_secrets() const {
  std::lock_guard lock(form_secret_mutex_);
  return form_secrets_;
}

void App::refresh_form_secret() {
  auto fresh = service::FormSecretStore(store(), keyring_.data_key(), clock_, rng(), service::Actor{"serve"}).ensure();
  std::lock_guard lock(form_secret_mutex_);
  if (fresh.stored != form_secrets_->stored) form_secrets_ = std::make_shared<const service::FormSecrets>(std::move(fresh));
}

bool App::form_token_valid(const std::string& message, const std::string& token) {
  auto matches = [&](const service::FormSecrets& s) {
    if (crypto::constant_time_equal(crypto::hmac_sha256_hex(s.current, message), token)) return true;
    return s.previous_accepted(clock_.now()) &&
           crypto::constant_time_equal(crypto::hmac_sha256_hex(*s.previous, message), token);
  };
  auto held = form_secrets();
  if (matches(*held)) return true;
  // Another node may have rotated the secret since this one loaded it.
  auto stored = service::FormSecretStore(store(), keyring_.data_key(), clock_, rng(), service::Actor{"serve"}).load();
  if (!stored || stored->stored == held->stored) return false;
  auto fresh = std::make_shared<const service::FormSecrets>(std::move(*stored));
  {
    std::lock_guard lock(form_secret_mutex_);
    form_secrets_ = fresh;
  }
  return matches(*fresh);
}

std::string App::csrf_token(const std::string& sha256) const {
  return crypto::hmac_sha256_hex(form_secrets()->current, std::string(kPortalCsrf) + sha256);
}

bool App::csrf_valid(const std::string& sha256, const std::string& token) {
  return !sha256.empty() && form_token_valid(std::string(kPortalCsrf) + sha256, token);
}

std::optional<std::string> App::client_fingerprint(const Request& req) const {
  if (req.client_cert_rejected) return std::string("rejected");
  if (!req.client_cert_der) return std::nullopt;
  return crypto::sha256_hex(*req.client_cert_der);
}

std::string App::login_form_token(const std::string& nonce) const {
  return crypto::hmac_sha256_hex(form_secrets()->current, std::string(kLoginCsrf) + nonce);
}

bool App::login_form_token_valid(const std::string& nonce, const std::string& token) {
  return !nonce.empty() && form_token_valid(std::string(kLoginCsrf) + nonce, token);
}

int App::renewal_window_days(const std::string& tenant_id) {
  // Reads settings only; the keyring is not touched.
  return service::Renewer(store(), keyring_, clock_, rng(), service::Actor{"admin:view"}).window_days(tenant_id);
}

std::vector<Bytes> App::ca_certificates() {
  auto cas = store().cas().list();
  std::vector<Bytes> out;
  for (int pass = 0; pass < 3; ++pass)
    for (const auto& ca : cas) {
      const bool take = pass == 0   ? (ca.role == CaRole::Issuing && ca.active)
                        : pass == 1 ? (ca.role == CaRole::Issuing && !ca.active)
                                    : ca.role == CaRole::Root;
      if (take) out.push_back(ca.cert_der);
    }
  return out;
}

std::string App::ca_chain_pem() {
  std::string out;
  for (const auto& der : ca_certificates()) out += crypto::pem_encode(der, "CERTIFICATE");
  return out;
}

Bytes App::current_crl() {
  auto& s = store();
  auto ca = s.cas().active_issuing();
  if (!ca) throw Error(ErrorCode::InvalidState, "no active issuing CA");
  return crl_of(s, ca->id);
}

std::optional<Bytes> App::crl_at_path(const std::string& path) {
  auto& s = store();
  auto ca_id = service::ca_for_crl_path(s, path);
  if (!ca_id) return std::nullopt;
  return crl_of(s, *ca_id);
}

std::string App::crl_bundle_pem() {
  auto& s = store();
  std::string out;
  for (auto role : {CaRole::Issuing, CaRole::Root})
    for (const auto& ca : s.cas().list())
      if (ca.role == role && ca.key_held())
        out += crypto::pem_encode(crl_of(s, ca.id), "X509 CRL");
  // An offline root signs its CRL elsewhere; `inkan ca import-crl` brought the latest here.
  if (auto root_crl = service::imported_root_crl(s)) out += crypto::pem_encode(*root_crl, "X509 CRL");
  return out;
}

// The CRL lives in the database (issue 22 item 3): every node serves the same stored CRL while
// it is current, and the first thread of any node to find it stale re-signs it under the write
// lock; the others, this node's included, then read that one.
Bytes App::crl_of(Store& s, std::int64_t ca_id) {
  auto crl = service::Revocation(s, clock_, service::Actor{"serve:crl"})
                 .current_crl(keyring_, rng(), kCrlLifetime, kCrlMaxAge, ca_id);
  std::lock_guard lock(crl_->mutex);
  crl_->next_update[ca_id] = crl.next_update;
  return crl.der;
}

service::ServerCredential App::ensure_server_certificate(const std::vector<std::string>& hostnames) {
  std::lock_guard lock(keyring_mutex_);
  auto cred = service::ServerCertificates(store(), keyring_, clock_, rng(), service::Actor{"serve"}).ensure(hostnames);
  server_not_after_.store(cred.not_after.time_since_epoch().count());
  return cred;
}

std::optional<Timestamp> App::crl_next_update(std::int64_t ca_id) const {
  std::lock_guard lock(crl_->mutex);
  auto it = crl_->next_update.find(ca_id);
  if (it == crl_->next_update.end()) return std::nullopt;
  return it->second;
}

std::optional<Timestamp> App::imported_root_crl_next_update() {
  auto der = service::imported_root_crl(store());
  if (!der) return std::nullopt;
  return crypto::inspect_crl(*der).next_update;
}

void App::prepare_ocsp() { ocsp_->prepare(store(), rng()); }

service::OcspReply App::ocsp(const Bytes& request_der) { return ocsp_->answer(store(), rng(), request_der); }

std::optional<service::OcspReply> App::ocsp_at_once(const Bytes& request_der) const {
  return ocsp_->answer_at_once(request_der);
}

service::OcspRefreshResult App::refresh_ocsp() { return ocsp_->refresh(store(), rng()); }

}  // namespace inkan::web
