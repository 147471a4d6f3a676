#pragma once
// What the handlers share: a store connection per worker thread, the one unlocked Keyring
// (thread-safe), the clock and the form secret (both kept in the database, so any node of the
// installation answers any request: issue 22 item 3).
// Every call that may sign or unseal goes through here, so no handler touches the keyring.
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/local_time.hpp"
#include "ca/service/admin/admin_certificates.hpp"
#include "ca/service/admin/admin_login.hpp"
#include "ca/service/lifecycle/self_service.hpp"
#include "ca/service/keys/form_secret.hpp"
#include "ca/service/keys/server_certificate.hpp"
#include "ca/service/ocsp/ocsp_responder.hpp"
#include "web/http/http.hpp"

namespace inkan::web {

// The certificate a request came with, as the database sees it.
struct Presented {
  bool present = false;  // a certificate came with the request (or its resumed session)
  std::string sha256;    // lowercase hex of its DER
  service::Holder holder;  // access Unknown when absent or not ours
};

class App {
 public:
  App(std::filesystem::path data_dir, service::Keyring& keyring, service::AdminLoginPolicy admin_policy,
      const Clock& clock);
  ~App();

  Store& store();       // this thread's connection, opened on first use
  crypto::Rng& rng();   // this thread's generator
  const Clock& clock() const { return clock_; }
  // The zone times are shown in on every page (`inkan settings set --time-zone`), read at start.
  const TimeZone& time_zone() const { return time_zone_; }

  // Looked up in the database on every request (resumed TLS sessions included). A certificate
  // that is absent, not ours, revoked, expired or not yet valid is counted in the metrics.
  Presented presented(const Request& req);

  service::RenewalResult renew(const service::Holder& holder, std::optional<P12Profile> profile);
  CertificateRecord reenroll(const service::Holder& holder, std::string_view csr);
  std::optional<Serial> reused_key(const service::Holder& holder, std::string_view csr);
  Bytes successor_p12(const service::Holder& holder, const Serial& serial, std::optional<P12Profile> profile);
  std::string successor_file_stem(const service::Holder& holder, const Serial& serial);
  std::optional<P12Profile> delivered_profile(const service::Holder& holder);

  // A tenant's display name ("" when unknown), and every tenant's, for the management screens.
  std::string tenant_name(const std::string& tenant_id);
  std::map<std::string, std::string> tenant_names();

  // CSRF token of the portal's forms: HMAC-SHA-256(form secret, certificate fingerprint). The
  // form secret is the installation's (service::FormSecretStore), the same on every node.
  std::string csrf_token(const std::string& sha256) const;
  bool csrf_valid(const std::string& sha256, const std::string& token);  // constant time
  // Makes or rotates the stored form secret when due, and loads what is stored (maintenance).
  void refresh_form_secret();

  // Our CA certificates: issuing CAs (active first), then roots.
  std::vector<Bytes> ca_certificates();
  // The chain a relying party trusts, PEM.
  std::string ca_chain_pem();
  // The active issuing CA's CRL (DER): re-signed when the revocations changed or the cached one
  // is older than a few minutes, so it is always current.
  Bytes current_crl();
  // The CRL of the CA one of whose CRL URLs has this path ("/pki/inkan-ca3.crl"), if any: a
  // certificate's URL leads to its own CA's CRL (issue 16 item 1).
  std::optional<Bytes> crl_at_path(const std::string& path);
  // Every CRL a relying party needs to check whole chains (nginx checks the issuing CA against
  // the root's CRL too), PEM: each CA whose key is held here, issuing CAs first, then the root.
  std::string crl_bundle_pem();

  service::ServerCredential ensure_server_certificate(const std::vector<std::string>& hostnames);

  // --- OCSP (web/ocsp/) ---
  // Loads the CAs and their responder certificates before serving.
  void prepare_ocsp();
  service::OcspReply ocsp(const Bytes& request_der);
  // Without the store or a signature (OcspResponder::answer_at_once): safe on an event loop.
  std::optional<service::OcspReply> ocsp_at_once(const Bytes& request_der) const;
  // Called every few hundred milliseconds by serve.cpp's OCSP thread: applies revocations made
  // by any process, signs ahead, renews responder certificates.
  service::OcspRefreshResult refresh_ocsp();

  // --- the management site (/admin) ---
  // SHA-256 of the presented certificate; a certificate the TLS layer does not vouch for yields
  // a value that matches nothing, so it never counts as "no certificate".
  std::optional<std::string> client_fingerprint(const Request& req) const;
  service::AdminLogin admin_login() { return service::AdminLogin(store(), clock_, rng(), admin_policy_); }
  const service::AdminLoginPolicy& admin_policy() const { return admin_policy_; }
  // The login form has no session yet: its CSRF token is HMAC(form secret, a nonce that a
  // __Host- cookie carries), compared in constant time.
  std::string login_form_token(const std::string& nonce) const;
  bool login_form_token_valid(const std::string& nonce, const std::string& token);
  // Runs f(service::AdminCertificates&) in the administrator's scope: downloads, reveals,
  // renewals and issues sign or unseal, in parallel like the portal's (the keyring is
  // thread-safe; the store settles races).
  template <class F>
  decltype(auto) admin_certificates(const AdminUser& user, F&& f) {
    service::AdminCertificates certs(store(), keyring_, clock_, rng(), service::TenantScope::of(user));
    return f(certs);
  }
  // --- monitoring (web/monitoring/): nothing here signs or scans ---
  // The notAfter of the server certificate being served (set by ensure_server_certificate).
  Timestamp server_not_after() const { return Timestamp(std::chrono::seconds(server_not_after_.load())); }
  // The nextUpdate of the last CRL signed here for CA `ca_id`, if one was.
  std::optional<Timestamp> crl_next_update(std::int64_t ca_id) const;
  // The imported offline root CRL's nextUpdate, if one was imported.
  std::optional<Timestamp> imported_root_crl_next_update();
  // Whether the active issuing CA's key is unlocked in this process (no passphrase use).
  bool holds_key(std::int64_t ca_id) const { return keyring_.holds(ca_id); }

  // The renewal window of a tenant (its override, else the installation's), in days.
  int renewal_window_days(const std::string& tenant_id);

 private:
  std::filesystem::path dir_;
  service::Keyring& keyring_;
  std::mutex keyring_mutex_;
  const Clock& clock_;
  TimeZone time_zone_ = TimeZone::system();
  std::atomic<std::int64_t> server_not_after_{0};
  mutable std::mutex form_secret_mutex_;
  std::shared_ptr<const service::FormSecrets> form_secrets_;
  std::shared_ptr<const service::FormSecrets> form_secrets() const;
  // Whether `token` is HMAC(secret, message) under the current secret or the previous one in its
  // grace period; on a miss, reloads the stored secrets once (another node may have rotated them).
  bool form_token_valid(const std::string& message, const std::string& token);
  service::AdminLoginPolicy admin_policy_;
  Bytes crl_of(Store& store, std::int64_t ca_id);
  struct CrlCache;
  std::unique_ptr<CrlCache> crl_;
  std::unique_ptr<service::OcspResponder> ocsp_;
};

}  // namespace inkan::web
