#include "ca/service/admin/tenant_scope.hpp"

#include "ca/domain/error.hpp"
#include "ca/store/admin_repositories.hpp"

namespace inkan::service {
namespace {

// One wording for "missing" and "not yours", so the two cannot be told apart.
[[noreturn]] void not_found(const std::string& what) { throw Error(ErrorCode::NotFound, "unknown " + what); }

}  // namespace

TenantScope TenantScope::of(const AdminUser& user) {
  std::optional<std::string> tenant;
  if (!user.is_operator()) {
    // A tenant administrator without a tenant would see everything: refuse rather than widen.
    if (!user.tenant_id) throw Error(ErrorCode::Integrity, "tenant administrator without a tenant");
    tenant = user.tenant_id;
  }
  return TenantScope(std::move(tenant), Actor{"admin:" + user.username}, user);
}

TenantScope TenantScope::cli(Actor actor) { return TenantScope(std::nullopt, std::move(actor), std::nullopt); }

bool TenantScope::covers_tenant(const std::optional<std::string>& tenant_id) const {
  return !tenant_ || (tenant_id && *tenant_id == *tenant_);
}

std::optional<std::string> TenantScope::narrow(Store& store,
                                               const std::optional<std::string>& wanted) const {
  if (!wanted) return tenant_;
  return tenant(store, *wanted).id;
}

Tenant TenantScope::tenant(Store& store, const std::string& tenant_id) const {
  if (!covers_tenant(tenant_id)) not_found("tenant '" + tenant_id + "'");
  auto t = store.tenants().find(tenant_id);
  if (!t) not_found("tenant '" + tenant_id + "'");
  return *t;
}

CertificateRecord TenantScope::certificate(Store& store, const Serial& serial) const {
  auto c = store.certificates().find(serial);
  // Reservations are not objects of the site: they are issuances in flight.
  // An operator's certificate is no tenant administrator's business (issue 14 item 4): its p12,
  // password or a successor would give them the operator's second factor.
  if (!c || c->state == CertState::Reserved || !covers_tenant(c->tenant_id) ||
      (c->kind == CertKind::Operator && !sees_every_tenant()))
    not_found("certificate " + serial.hex());
  return *c;
}

AdminUser TenantScope::admin_user(Store& store, const std::string& username) const {
  auto u = store.admin_users().find_by_username(username);
  if (!u || !covers_tenant(u->tenant_id)) not_found("administrator '" + username + "'");
  return *u;
}

AdminUser TenantScope::admin_user(Store& store, std::int64_t id) const {
  auto u = store.admin_users().find(id);
  if (!u || !covers_tenant(u->tenant_id)) not_found("administrator #" + std::to_string(id));
  return *u;
}

bool TenantScope::covers(const LoginAttempt& attempt) const { return covers_tenant(attempt.tenant_id); }

}  // namespace inkan::service
