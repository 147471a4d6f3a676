#pragma once
// Tenant isolation for the management site (design.md §7): who is acting, and which objects they
// may reach. An object of another tenant is reported exactly like a missing one,
// Error(NotFound), so a tenant administrator cannot even learn that it exists.
#include <optional>
#include <string>

#include "ca/domain/admin.hpp"
#include "ca/domain/records.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

class TenantScope {
 public:
  // A logged-in administrator: an operator sees every tenant, a tenant administrator one.
  // Audited as "admin:<username>".
  static TenantScope of(const AdminUser& user);
  // The local operator at the CLI (shell access to the data directory): every tenant.
  static TenantScope cli(Actor actor);

  bool sees_every_tenant() const { return !tenant_; }
  // nullopt: every tenant; else the only tenant this actor may see.
  const std::optional<std::string>& tenant_filter() const { return tenant_; }
  const Actor& actor() const { return actor_; }
  // The administrator acting, or nullptr at the CLI.
  const AdminUser* user() const { return user_ ? &*user_ : nullptr; }

  // A tenant filter chosen by the actor: for an operator `wanted` as given (nullopt = all);
  // for a tenant administrator their own tenant, and NotFound for any other.
  std::optional<std::string> narrow(Store& store, const std::optional<std::string>& wanted) const;

  // Each returns the object, or throws Error(NotFound) when it is missing or out of scope.
  Tenant tenant(Store& store, const std::string& tenant_id) const;
  CertificateRecord certificate(Store& store, const Serial& serial) const;
  AdminUser admin_user(Store& store, const std::string& username) const;
  AdminUser admin_user(Store& store, std::int64_t id) const;
  // True when the login-history row belongs to this actor's scope.
  bool covers(const LoginAttempt& attempt) const;

 private:
  TenantScope(std::optional<std::string> tenant, Actor actor, std::optional<AdminUser> user)
      : tenant_(std::move(tenant)), actor_(std::move(actor)), user_(std::move(user)) {}
  bool covers_tenant(const std::optional<std::string>& tenant_id) const;

  std::optional<std::string> tenant_;
  Actor actor_;
  std::optional<AdminUser> user_;
};

}  // namespace inkan::service
