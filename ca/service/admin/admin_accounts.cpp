#include "ca/service/admin/admin_accounts.hpp"

#include <algorithm>

#include "ca/crypto/secrets/password.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/admin_rules.hpp"
#include "ca/service/issuance/admin_binding.hpp"
#include "ca/policy/naming.hpp"
#include "ca/store/admin_repositories.hpp"

namespace inkan::service {
namespace {

std::string object_of(const AdminUser& u) { return "admin:" + u.username; }

// The audit detail names the role and tenant, never a password or its hash.
std::string detail_of(const AdminUser& u) {
  return std::string("role=") + std::string(to_string(u.role)) +
         (u.tenant_id ? " tenant=" + *u.tenant_id : std::string());
}

}  // namespace

const AdminUser& AdminAccounts::acting_user() const {
  if (!scope_.user())
    throw Error(ErrorCode::InvalidState, "changing one's own password needs a logged-in administrator");
  return *scope_.user();
}

CreatedAdmin AdminAccounts::add(const NewAdmin& request) {
  policy::validate_admin_username(request.username);
  if (request.role == AdminRole::Operator && request.tenant_id)
    throw Error(ErrorCode::InvalidArgument, "an operator belongs to no tenant: give --operator or --tenant, not both");
  if (request.role == AdminRole::TenantAdmin && !request.tenant_id)
    throw Error(ErrorCode::InvalidArgument, "a tenant administrator needs a tenant");
  if (request.role == AdminRole::Operator && !scope_.sees_every_tenant())
    throw Error(ErrorCode::PolicyViolation, "only an operator can create an operator");

  CreatedAdmin out;
  std::string password;
  if (request.password) {
    policy::validate_admin_password(*request.password, request.username);
    password = *request.password;
  } else {
    password = crypto::generate_p12_password(rng_);  // ~116 bits, easy to type once
    out.generated_password = password;
  }

  AdminUser u;
  u.username = request.username;
  u.role = request.role;
  u.tenant_id = request.tenant_id;
  u.password_hash = crypto::hash_password(password, rng_, hashing_);  // before the write lock
  u.created_at = clock_.now();
  u.password_changed_at = u.created_at;
  u.must_change_password = !request.password.has_value();
  if (request.email) policy::validate_email(*request.email);
  u.email = request.email;
  u.language = request.language;

  auto tx = store_.begin();
  if (u.tenant_id) scope_.tenant(store_, *u.tenant_id);  // NotFound outside the scope
  if (store_.admin_users().find_by_username(u.username))
    throw Error(ErrorCode::AlreadyExists, "administrator '" + u.username + "' already exists");
  u.id = store_.admin_users().add(u);
  record(store_, clock_, scope_.actor(), "admin.add", object_of(u), detail_of(u));
  tx->commit();
  out.user = u;
  return out;
}

std::vector<AdminUser> AdminAccounts::list(const std::optional<std::string>& tenant_id) {
  auto users = store_.admin_users().list(scope_.narrow(store_, tenant_id));
  std::stable_partition(users.begin(), users.end(), [](const AdminUser& u) { return u.is_operator(); });
  return users;
}

AdminUser AdminAccounts::find(const std::string& username) { return scope_.admin_user(store_, username); }

AdminUser AdminAccounts::set_disabled(const std::string& username, bool disabled) {
  auto tx = store_.begin();
  AdminUser u = scope_.admin_user(store_, username);
  if (disabled && scope_.user() && scope_.user()->id == u.id)
    throw Error(ErrorCode::InvalidArgument, "you cannot disable your own account");
  store_.admin_users().set_disabled(u.id, disabled);
  if (disabled) store_.admin_sessions().remove_for_user(u.id);
  record(store_, clock_, scope_.actor(), disabled ? "admin.disable" : "admin.enable", object_of(u));
  tx->commit();
  u.disabled = disabled;
  return u;
}

AdminUser AdminAccounts::set_contact(const std::string& username, const std::optional<std::string>& email,
                                     MailLanguage language) {
  if (email) policy::validate_email(*email);
  auto tx = store_.begin();
  AdminUser u = scope_.admin_user(store_, username);
  store_.admin_users().set_contact(u.id, email, language);
  record(store_, clock_, scope_.actor(), "admin.contact", object_of(u),
         std::string("email=") + (email ? "set" : "none") + " language=" + std::string(to_string(language)));
  tx->commit();
  u.email = email;
  u.language = language;
  return u;
}

AdminUser AdminAccounts::disable(const std::string& username) { return set_disabled(username, true); }
AdminUser AdminAccounts::enable(const std::string& username) { return set_disabled(username, false); }

AdminAccounts::Removed AdminAccounts::remove(const std::string& username) {
  auto tx = store_.begin();
  Removed r{scope_.admin_user(store_, username), {}};
  if (scope_.user() && scope_.user()->id == r.user.id)
    throw Error(ErrorCode::InvalidArgument, "you cannot delete your own account");
  r.unbound_certificates = store_.admin_certificates().of_user(r.user.id);
  store_.admin_users().remove(r.user.id, clock_.now());
  record(store_, clock_, scope_.actor(), "admin.delete", object_of(r.user),
         detail_of(r.user) + " certificates_unbound=" + std::to_string(r.unbound_certificates.size()));
  tx->commit();
  return r;
}

std::string AdminAccounts::reset_password(const std::string& username) {
  const AdminUser target = scope_.admin_user(store_, username);  // NotFound before any work
  std::string password = crypto::generate_p12_password(rng_);
  const std::string hash = crypto::hash_password(password, rng_, hashing_);
  auto tx = store_.begin();
  const AdminUser u = scope_.admin_user(store_, username);
  if (u.id != target.id) throw Error(ErrorCode::Conflict, "administrator '" + username + "' changed meanwhile");
  store_.admin_users().set_password(u.id, hash, clock_.now(), true);
  store_.admin_sessions().remove_for_user(u.id);
  record(store_, clock_, scope_.actor(), "admin.reset", object_of(u));
  tx->commit();
  return password;
}

void AdminAccounts::change_own_password(const std::string& current, const std::string& replacement) {
  const AdminUser& me = acting_user();
  const auto stored = store_.admin_users().find(me.id);
  if (!stored || stored->disabled) throw Error(ErrorCode::NotFound, "unknown administrator '" + me.username + "'");
  if (!crypto::verify_password(current, stored->password_hash))
    throw Error(ErrorCode::WrongPassphrase, "the current password is wrong");
  policy::validate_admin_password(replacement, me.username);
  if (replacement == current) throw Error(ErrorCode::InvalidArgument, "password: the new password must differ");
  const std::string hash = crypto::hash_password(replacement, rng_, hashing_);
  auto tx = store_.begin();
  store_.admin_users().set_password(me.id, hash, clock_.now(), false);
  store_.admin_sessions().remove_for_user(me.id);
  record(store_, clock_, scope_.actor(), "admin.password", object_of(me));
  tx->commit();
}

AdminUser AdminAccounts::bind_certificate(const std::string& username, const Serial& serial) {
  if (!scope_.sees_every_tenant())
    throw Error(ErrorCode::PolicyViolation, "only an operator binds certificates to administrators");
  auto tx = store_.begin();
  AdminUser user = scope_.admin_user(store_, username);
  const auto cert = store_.certificates().find(serial);
  if (!cert) throw Error(ErrorCode::NotFound, "unknown certificate " + serial.hex());
  check_binding(store_, *cert, user);
  store_.admin_certificates().bind(serial, user.id);
  record(store_, clock_, scope_.actor(), "admin.bind", "admin:" + user.username, "cert:" + serial.hex());
  tx->commit();
  user.password_hash.clear();
  return user;
}

}  // namespace inkan::service
