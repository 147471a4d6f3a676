#pragma once
// A tenant's settings as the management site changes them: only an operator may (a tenant
// administrator gets NotFound, like anything out of their scope). Audited as the operator.
#include <optional>
#include <string>

#include "ca/service/admin/tenant_scope.hpp"

namespace inkan::service {

// The renewal window in days (1-365), or nullopt for the installation default.
Tenant set_tenant_renewal_window(Store& store, const Clock& clock, const TenantScope& scope,
                                 const std::string& tenant_id, std::optional<int> days);

}  // namespace inkan::service
