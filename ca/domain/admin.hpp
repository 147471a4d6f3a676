#pragma once
// Administrators of the management site: accounts, their login attempts and their sessions.
// Secrets never live here in the clear: the password is an Argon2id PHC string and a session is
// known only by the SHA-256 of its token.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ca/domain/serial.hpp"
#include "ca/domain/time.hpp"

namespace inkan {

// Operator: installs the appliance and sees every tenant. TenantAdmin: one facility only.
enum class AdminRole { Operator, TenantAdmin };

// The outcome of one login attempt, as recorded in the login history (ログイン履歴).
enum class LoginResult {
  Success,
  WrongPassword,
  UnknownUser,
  Disabled,
  Locked,               // refused by throttling before the password was evaluated
  CertificateRequired,  // no client certificate was presented but one is required
  CertificateMismatch,  // a certificate was presented but is not an active tenant-admin one of the tenant
};

// The language of an administrator's mail: the management site's two.
enum class MailLanguage { Ja, En };

struct AdminUser {
  std::int64_t id = 0;  // assigned by the store
  std::string username;
  std::optional<std::string> tenant_id;  // nullopt exactly for operators
  AdminRole role = AdminRole::TenantAdmin;
  bool disabled = false;
  std::string password_hash;  // "$argon2id$v=19$m=...,t=...,p=...$salt$hash"
  Timestamp created_at{};
  Timestamp password_changed_at{};
  // Set by a reset: the one-time password must be replaced at the next login.
  bool must_change_password = false;
  // Where `inkan notify expiring` writes, and in which language (migration 0012).
  std::optional<std::string> email;
  MailLanguage language = MailLanguage::Ja;

  bool is_operator() const { return role == AdminRole::Operator; }
};

// One row of the login history. `address` is the socket peer address, never a header.
struct LoginAttempt {
  std::int64_t id = 0;  // assigned by the store
  Timestamp at{};
  std::string username;  // as typed (bounded), also for unknown users
  std::optional<std::int64_t> user_id;  // nullopt for unknown users
  // The account's tenant at the time, so a tenant administrator sees only their tenant's rows.
  std::optional<std::string> tenant_id;
  std::string address;
  std::optional<Serial> cert_serial;  // the presented client certificate, when it is ours
  LoginResult result = LoginResult::Success;
};

// A logged-in administrator. The token itself is handed to the client once and never stored.
struct AdminSession {
  std::string id_hash;  // lowercase hex SHA-256 of the token
  std::int64_t user_id = 0;
  std::string csrf_token;  // random, per session; sent back in every POST
  Timestamp created_at{};
  Timestamp last_seen_at{};
  // The client certificate the login was made with; later requests must present the same one.
  std::optional<std::string> client_cert_sha256;
};

// Consecutive failures and the temporary lock of one account or one socket address.
enum class ThrottleScope { Account, Address };

struct ThrottleState {
  ThrottleScope scope = ThrottleScope::Account;
  std::string key;  // user id (decimal) or socket address
  int consecutive_failures = 0;
  std::optional<Timestamp> locked_until;
};

std::string_view to_string(AdminRole v);
std::string_view to_string(LoginResult v);
std::string_view to_string(ThrottleScope v);
std::optional<AdminRole> parse_admin_role(std::string_view s);
std::string_view to_string(MailLanguage v);
std::optional<MailLanguage> parse_mail_language(std::string_view s);
std::optional<LoginResult> parse_login_result(std::string_view s);
std::optional<ThrottleScope> parse_throttle_scope(std::string_view s);

// True for results whose password (or certificate) was actually evaluated and failed: these
// count towards the throttles. Locked is not one of them (nothing was evaluated).
bool is_evaluated_failure(LoginResult r);

}  // namespace inkan
