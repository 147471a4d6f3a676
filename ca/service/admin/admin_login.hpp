#pragma once
// Login to the management site, its throttling, and its sessions (design.md §7, issue 5).
// No HTTP here: the web layer passes the socket peer address and the presented client
// certificate's SHA-256, and turns the results into cookies and status codes.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ca/crypto/secrets/password_hash.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/domain/admin.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct AdminLoginPolicy {
  // An administrator must present an active (or superseded, seed rule 6) certificate bound to
  // their own account (issue 14 item 4): a tenant-admin certificate of their tenant, or for an
  // operator an operator certificate. The seed's default: on.
  bool require_client_cert = true;
  // Operators may be exempted here (e.g. a console on localhost).
  bool operators_exempt_from_certificate = false;

  // Per account and per socket address: a temporary lock after this many consecutive failures.
  int lock_after_failures = 10;
  std::chrono::seconds lock_duration = std::chrono::minutes(15);
  // At most this many failures are evaluated per account (and per address) in any hour; beyond
  // that attempts are refused without evaluating the password.
  int hourly_failure_cap = 100;

  std::chrono::seconds idle_timeout = std::chrono::minutes(30);
  std::chrono::seconds absolute_timeout = std::chrono::hours(12);

  crypto::PasswordHashParams hashing = crypto::kAdminPasswordHash;  // cost of the decoy hash
};

struct LoginRequest {
  std::string username;
  std::string password;
  std::string peer_address;  // the TCP peer address, never a forwarded header
  std::optional<std::string> client_cert_sha256;  // lowercase hex of the presented DER
  // The session token the browser still held, if any: it ends here, so a login never keeps
  // an old session id (rotation).
  std::optional<std::string> previous_token;
};

struct NewSession {
  AdminUser user;
  std::string token;       // the bearer secret for the cookie; only its SHA-256 is stored
  std::string csrf_token;  // for every form of this session
  bool must_change_password = false;
};

struct LoginOutcome {
  LoginResult result = LoginResult::UnknownUser;
  std::optional<NewSession> session;  // exactly when result == Success
};

// What a valid session token yields on each request.
struct AdminPrincipal {
  AdminUser user;
  std::string csrf_token;
  Timestamp session_created_at{};
};

class AdminLogin {
 public:
  AdminLogin(Store& store, const Clock& clock, crypto::Rng& rng, AdminLoginPolicy policy = {})
      : store_(store), clock_(clock), rng_(rng), policy_(std::move(policy)) {}

  // Every attempt is recorded in the login history, whatever its result.
  LoginOutcome authenticate(const LoginRequest& request);

  // The administrator behind a session token, or nullopt when the token is unknown, idle for
  // longer than the idle timeout, older than the absolute timeout, its account disabled, or —
  // for a session opened with a client certificate — that certificate is not presented again
  // or is no longer acceptable (revoked, expired). Refreshes the idle timer.
  std::optional<AdminPrincipal> validate(std::string_view token,
                                         const std::optional<std::string>& client_cert_sha256);

  // Ends the session (harmless for an unknown token).
  void logout(std::string_view token);

  // Constant-time comparison of a submitted CSRF token with the session's.
  static bool csrf_matches(const AdminPrincipal& principal, std::string_view submitted);

  const AdminLoginPolicy& policy() const { return policy_; }

 private:
  struct CertificateCheck {
    LoginResult result = LoginResult::Success;
    std::optional<Serial> serial;  // of the presented certificate, when it is one of ours
  };
  CertificateCheck check_certificate(const AdminUser& user,
                                     const std::optional<std::string>& sha256) const;
  bool certificate_usable(const std::string& sha256, const AdminUser& user) const;
  bool locked(ThrottleScope scope, const std::string& key, Timestamp now) const;
  void bump(ThrottleScope scope, const std::string& key, Timestamp now,
            const std::optional<AdminUser>& user);
  void reset(ThrottleScope scope, const std::string& key);
  LoginOutcome finish(LoginAttempt attempt, const std::optional<AdminUser>& user,
                      const LoginRequest& request);

  Store& store_;
  const Clock& clock_;
  crypto::Rng& rng_;
  AdminLoginPolicy policy_;
};

}  // namespace inkan::service
