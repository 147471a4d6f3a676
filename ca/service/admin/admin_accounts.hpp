#pragma once
// Administrator accounts of the management site (ユーザ管理): add, disable, enable, reset and
// change one's own password. Authorization through TenantScope: an operator manages anyone; a
// tenant administrator only the administrators of their own tenant, and never creates an
// operator. Every change is audited with the actor.
#include <optional>
#include <string>
#include <vector>

#include "ca/crypto/secrets/password_hash.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/domain/admin.hpp"
#include "ca/service/admin/tenant_scope.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct NewAdmin {
  std::string username;
  AdminRole role = AdminRole::TenantAdmin;
  std::optional<std::string> tenant_id;  // required for a tenant administrator, absent for an operator
  // nullopt: a one-time password is generated and must be changed at the first login.
  std::optional<std::string> password;
  std::optional<std::string> email;  // for the expiry mail (`inkan notify expiring`)
  MailLanguage language = MailLanguage::Ja;
};

struct CreatedAdmin {
  AdminUser user;
  std::optional<std::string> generated_password;  // shown once, never stored in the clear
};

class AdminAccounts {
 public:
  AdminAccounts(Store& store, const Clock& clock, crypto::Rng& rng, TenantScope scope,
                crypto::PasswordHashParams hashing = crypto::kAdminPasswordHash)
      : store_(store), clock_(clock), rng_(rng), scope_(std::move(scope)), hashing_(hashing) {}

  // InvalidArgument (username, password, role/tenant mismatch), AlreadyExists, NotFound (tenant
  // out of scope), PolicyViolation (a tenant administrator creating an operator).
  CreatedAdmin add(const NewAdmin& request);
  // In scope only; operators first, then by username.
  std::vector<AdminUser> list(const std::optional<std::string>& tenant_id = std::nullopt);
  AdminUser find(const std::string& username);
  // Disabling ends every session of the account. One cannot disable oneself (InvalidArgument).
  AdminUser disable(const std::string& username);
  AdminUser enable(const std::string& username);
  // Deletes the account (audited "admin.delete"): its sessions end and its certificate bindings go,
  // so the certificates it logged in with log in no one (they stay valid for the record and can
  // be revoked); its login history keeps the username. Returns the account as it was and the
  // serials that were bound to it. One cannot delete oneself (InvalidArgument).
  struct Removed {
    AdminUser user;
    std::vector<Serial> unbound_certificates;
  };
  Removed remove(const std::string& username);
  // The address (nullopt: none) and language of the administrator's expiry mail; audited
  // ("admin.contact"). InvalidArgument for an address that is not one.
  AdminUser set_contact(const std::string& username, const std::optional<std::string>& email, MailLanguage language);
  // A new generated one-time password (returned once); must_change_password is set and every
  // session of the account ends.
  std::string reset_password(const std::string& username);
  // The acting administrator's own password; WrongPassphrase when `current` is wrong. Ends every
  // session of the account (the caller logs in again with the new password).
  void change_own_password(const std::string& current, const std::string& replacement);
  // Binds an issued tenant-admin or operator certificate to the account it is to log in (issue 14
  // item 4; `inkan user bind-certificate`, the one-time step after upgrading). Operators only
  // (the CLI): PolicyViolation for a tenant administrator. The rules of admin_binding.hpp.
  AdminUser bind_certificate(const std::string& username, const Serial& serial);

 private:
  AdminUser set_disabled(const std::string& username, bool disabled);
  const AdminUser& acting_user() const;

  Store& store_;
  const Clock& clock_;
  crypto::Rng& rng_;
  TenantScope scope_;
  crypto::PasswordHashParams hashing_;
};

}  // namespace inkan::service
