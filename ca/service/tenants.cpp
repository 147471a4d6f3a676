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

}  // namespace inkan::service
