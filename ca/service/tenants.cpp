#include "ca/service/tenants.hpp"

#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"

namespace inkan::service {

Tenant Tenants::add(const std::string& id, const std::string& name) {
  policy::validate_tenant_id(id);
  policy::validate_display_name(name, "tenant name");
  Tenant t{id, name, clock_.now(), std::nullopt};
  auto tx = store_.begin();
  if (store_.tenants().find(id)) throw Error(ErrorCode::AlreadyExists, "tenant '" + id + "' already exists");
  store_.tenants().add(t);
  record(store_, clock_, actor_, "tenant.add", "tenant:" + id, name);
  tx->commit();
  return t;
}

std::vector<Tenant> Tenants::list() { return store_.tenants().list(); }

Tenant Tenants::set_renewal_window(const std::string& id, std::optional<int> days) {
  if (days && (*days < 1 || *days > 365))
    throw Error(ErrorCode::InvalidArgument, "renewal window must be 1 to 365 days");
  auto tx = store_.begin();
  store_.tenants().set_renewal_window(id, days);
  record(store_, clock_, actor_, "tenant.policy", "tenant:" + id,
         "renewal_window_days=" + (days ? std::to_string(*days) : std::string("default")));
  tx->commit();
  return *store_.tenants().find(id);
}

}  // namespace inkan::service
