#include "ca/service/tenants.hpp"

#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"

namespace inkan::service {

Tenant Tenants::add(const std::string& id, const std::string& name) {
  policy::validate_tenant_id(id);
  policy::validate_display_name(name, "tenant name");
  Tenant t{id, name, clock_.now(), std::nullopt, std::nullopt};
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

Tenant Tenants::set_revoke_predecessor_after(const std::string& id, std::optional<int> days) {
  if (days && (*days < 0 || *days > 3650))
    throw Error(ErrorCode::InvalidArgument, "--revoke-predecessor-after must be 0 to 3650 days, or never");
  auto tx = store_.begin();
  store_.tenants().set_revoke_predecessor_after(id, days);
  record(store_, clock_, actor_, "tenant.policy", "tenant:" + id,
         "revoke_predecessor_after_days=" + (days ? std::to_string(*days) : std::string("never")));
  tx->commit();
  return *store_.tenants().find(id);
}

}  // namespace inkan::service
