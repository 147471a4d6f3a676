#include "ca/service/admin/tenant_settings.hpp"

#include "ca/domain/error.hpp"
#include "ca/service/tenants.hpp"

namespace inkan::service {

Tenant set_tenant_renewal_window(Store& store, const Clock& clock, const TenantScope& scope,
                                 const std::string& tenant_id, std::optional<int> days) {
  if (!scope.sees_every_tenant())
    throw Error(ErrorCode::NotFound, "no tenant settings for this account");  // operators only
  scope.tenant(store, tenant_id);  // NotFound for an unknown tenant
  return Tenants(store, clock, scope.actor()).set_renewal_window(tenant_id, days);
}

}  // namespace inkan::service
