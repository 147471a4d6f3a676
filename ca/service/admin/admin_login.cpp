#include "ca/service/admin/admin_login.hpp"

#include "ca/crypto/secrets/sealing.hpp"
#include "ca/crypto/secrets/session_token.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/store/admin_repositories.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {
namespace {

// Typed input is recorded in the history; bound it so a megabyte "username" stays out.
constexpr std::size_t kMaxRecordedLength = 64;

std::string bounded(std::string_view s) { return std::string(s.substr(0, kMaxRecordedLength)); }

std::string account_key(const AdminUser& u) { return std::to_string(u.id); }

// A name without an account is throttled like an account (issue 14 item 6): otherwise "locked"
// (429) after ten failures tells an attacker the name exists, where an unknown one stays 401.
constexpr std::string_view kUnknownNamePrefix = "name:";
std::string unknown_name_key(const std::string& recorded_username) {
  return std::string(kUnknownNamePrefix) + recorded_username;
}

}  // namespace

bool AdminLogin::locked(ThrottleScope scope, const std::string& key, Timestamp now) const {
  const ThrottleState t = store_.logins().throttle(scope, key);
  if (t.locked_until && now < *t.locked_until) return true;
  // The hourly cap: evaluated failures in the last hour, from the history itself.
  const Timestamp since = now - std::chrono::hours(1);
  std::int64_t recent = 0;
  if (scope == ThrottleScope::Address) recent = store_.logins().failures_from_address(key, since);
  else if (key.starts_with(kUnknownNamePrefix))
    recent = store_.logins().failures_of_unknown_name(key.substr(kUnknownNamePrefix.size()), since);
  else recent = store_.logins().failures_of_user(std::stoll(key), since);
  return recent >= policy_.hourly_failure_cap;
}

bool AdminLogin::certificate_usable(const std::string& sha256, const AdminUser& user) const {
  const auto rec = store_.certificates().find_by_sha256(sha256);
  // An operator logs in only with an operator certificate (issued from the CLI), a tenant
  // administrator only with a tenant-admin certificate of their tenant (issue 14 item 4).
  if (!rec || rec->kind != (user.is_operator() ? CertKind::Operator : CertKind::TenantAdmin)) return false;
  if (!user.is_operator() && rec->tenant_id != user.tenant_id) return false;
  // Superseded still works until its notAfter (seed rule 6); expired and revoked never do.
  const CertStatus status = rec->status_at(clock_.now());
  if (status != CertStatus::Active && status != CertStatus::Superseded) return false;
  // And only the account it was issued for: a certificate is not a shared second factor.
  return store_.admin_certificates().owner(rec->serial) == user.id;
}

AdminLogin::CertificateCheck AdminLogin::check_certificate(
    const AdminUser& user, const std::optional<std::string>& sha256) const {
  if (!policy_.require_client_cert) return {};
  if (user.is_operator() && policy_.operators_exempt_from_certificate) return {};
  if (!sha256) return {LoginResult::CertificateRequired, std::nullopt};
  if (!certificate_usable(*sha256, user)) return {LoginResult::CertificateMismatch, std::nullopt};
  return {};
}

LoginOutcome AdminLogin::authenticate(const LoginRequest& request) {
  const Timestamp now = clock_.now();
  LoginAttempt attempt;
  attempt.at = now;
  attempt.username = bounded(request.username);
  attempt.address = bounded(request.peer_address);
  if (request.client_cert_sha256)
    if (auto rec = store_.certificates().find_by_sha256(*request.client_cert_sha256))
      attempt.cert_serial = rec->serial;

  std::optional<AdminUser> user;
  if (request.username.size() <= kMaxRecordedLength)
    user = store_.admin_users().find_by_username(request.username);
  if (user) {
    attempt.user_id = user->id;
    attempt.tenant_id = user->tenant_id;
  }

  // Order matters: a locked address or account is refused before any hash is computed, so the
  // caps bound the Argon2 work an attacker can cause as well as the guesses.
  if (locked(ThrottleScope::Address, attempt.address, now)) {
    attempt.result = LoginResult::Locked;
  } else if (!user) {
    // Locked, and counted, like an account of that name; otherwise the same cost as a wrong
    // password, so neither the answer nor its timing reveals which usernames exist.
    if (locked(ThrottleScope::Account, unknown_name_key(attempt.username), now)) {
      attempt.result = LoginResult::Locked;
    } else {
      (void)crypto::verify_password(request.password, crypto::decoy_password_hash(policy_.hashing));
      attempt.result = LoginResult::UnknownUser;
    }
  } else if (locked(ThrottleScope::Account, account_key(*user), now)) {
    attempt.result = LoginResult::Locked;
  } else if (!crypto::verify_password(request.password, user->password_hash)) {
    attempt.result = LoginResult::WrongPassword;
  } else if (user->disabled) {
    attempt.result = LoginResult::Disabled;  // only after the password, so guessing learns nothing
  } else {
    attempt.result = check_certificate(*user, request.client_cert_sha256).result;
  }
  return finish(std::move(attempt), user, request);
}

void AdminLogin::bump(ThrottleScope scope, const std::string& key, Timestamp now,
                      const std::optional<AdminUser>& user) {
  ThrottleState t = store_.logins().throttle(scope, key);
  if (t.locked_until && *t.locked_until <= now) t.locked_until.reset();  // an expired lock
  t.consecutive_failures += 1;
  if (t.consecutive_failures >= policy_.lock_after_failures) {
    // The counter restarts: after the lock, another full run of failures locks again.
    t.locked_until = now + policy_.lock_duration;
    t.consecutive_failures = 0;
    const std::string object = scope == ThrottleScope::Address ? "address:" + key
                               : user                         ? "admin:" + user->username
                                                              : "unknown-admin:" + key.substr(kUnknownNamePrefix.size());
    record(store_, clock_, Actor{"login"}, "admin.lock", object,
           "until " + format_rfc3339(*t.locked_until));
  }
  store_.logins().put_throttle(t);
}

void AdminLogin::reset(ThrottleScope scope, const std::string& key) {
  ThrottleState t = store_.logins().throttle(scope, key);
  if (t.consecutive_failures == 0 && !t.locked_until) return;
  t.consecutive_failures = 0;
  t.locked_until.reset();
  store_.logins().put_throttle(t);
}

LoginOutcome AdminLogin::finish(LoginAttempt attempt, const std::optional<AdminUser>& user,
                                const LoginRequest& request) {
  LoginOutcome out;
  out.result = attempt.result;
  const Timestamp now = attempt.at;
  // One transaction (BEGIN IMMEDIATE) re-reads and updates the counters, so concurrent
  // attempts cannot both slip under the limit.
  auto tx = store_.begin();
  store_.logins().append(attempt);
  if (is_evaluated_failure(attempt.result)) {
    bump(ThrottleScope::Address, attempt.address, now, std::nullopt);
    bump(ThrottleScope::Account, user ? account_key(*user) : unknown_name_key(attempt.username), now, user);
  } else if (attempt.result == LoginResult::Success) {
    reset(ThrottleScope::Address, attempt.address);
    reset(ThrottleScope::Account, account_key(*user));
    if (request.previous_token) store_.admin_sessions().remove(crypto::token_digest(*request.previous_token));
    store_.admin_sessions().remove_expired(now - policy_.idle_timeout, now - policy_.absolute_timeout);

    NewSession s;
    s.user = *user;
    s.user.password_hash.clear();  // the web layer has no use for it
    s.token = crypto::random_token(rng_);  // a new id at every login: rotation
    s.csrf_token = crypto::random_token(rng_);
    s.must_change_password = user->must_change_password;
    AdminSession row;
    row.id_hash = crypto::token_digest(s.token);
    row.user_id = user->id;
    row.csrf_token = s.csrf_token;
    row.created_at = now;
    row.last_seen_at = now;
    // Bound to the certificate that was checked, so a copied cookie is useless without it.
    if (policy_.require_client_cert && request.client_cert_sha256 &&
        !(user->is_operator() && policy_.operators_exempt_from_certificate))
      row.client_cert_sha256 = *request.client_cert_sha256;
    store_.admin_sessions().add(row);
    out.session = std::move(s);
  }
  tx->commit();
  return out;
}

std::optional<AdminPrincipal> AdminLogin::validate(
    std::string_view token, const std::optional<std::string>& client_cert_sha256) {
  if (token.size() != 2 * crypto::kTokenBytes) return std::nullopt;
  const std::string digest = crypto::token_digest(token);
  const auto session = store_.admin_sessions().find(digest);
  // Looked up by a hash of 256 random bits; the constant-time check is belt and braces.
  if (!session || !crypto::constant_time_equal(session->id_hash, digest)) return std::nullopt;

  const Timestamp now = clock_.now();
  if (now - session->last_seen_at > policy_.idle_timeout ||
      now - session->created_at > policy_.absolute_timeout) {
    store_.admin_sessions().remove(digest);
    return std::nullopt;
  }
  auto user = store_.admin_users().find(session->user_id);
  if (!user || user->disabled) {
    store_.admin_sessions().remove(digest);
    return std::nullopt;
  }
  if (session->client_cert_sha256) {
    // Revocation is checked on every request (design.md §7), resumed TLS sessions included.
    if (!client_cert_sha256 ||
        !crypto::constant_time_equal(*session->client_cert_sha256, *client_cert_sha256) ||
        !certificate_usable(*client_cert_sha256, *user))
      return std::nullopt;
  }
  // Refresh the idle timer, at most twice a minute: no write on every request.
  if (now - session->last_seen_at >= std::chrono::seconds(30)) store_.admin_sessions().touch(digest, now);

  AdminPrincipal p;
  p.user = std::move(*user);
  p.user.password_hash.clear();
  p.csrf_token = session->csrf_token;
  p.session_created_at = session->created_at;
  return p;
}

void AdminLogin::logout(std::string_view token) {
  store_.admin_sessions().remove(crypto::token_digest(token));
}

bool AdminLogin::csrf_matches(const AdminPrincipal& principal, std::string_view submitted) {
  return !principal.csrf_token.empty() && crypto::constant_time_equal(principal.csrf_token, submitted);
}

}  // namespace inkan::service
