#include "ca/service/tenants.hpp"

#include "ca/domain/error.hpp"
#include "ca/domain/time.hpp"
#include "ca/policy/naming.hpp"
#include "ca/store/admin_repositories.hpp"

namespace inkan::service {

Tenant Tenants::add(const std::string& id, const std::string& name) {
  policy::validate_tenant_id(id);
  policy::validate_display_name(name, "tenant name");
  Tenant t{id, name, clock_.now(), std::nullopt, std::nullopt, std::nullopt};
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

Tenant Tenants::rename(const std::string& id, const std::string& name) {
  policy::validate_display_name(name, "tenant name");
  auto tx = store_.begin();
  const auto before = store_.tenants().find(id);
  if (!before) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
  store_.tenants().set_name(id, name);
  record(store_, clock_, actor_, "tenant.rename", "tenant:" + id, before->name + " -> " + name);
  tx->commit();
  return *store_.tenants().find(id);
}

Tenants::Retired Tenants::retire(const std::string& id) {
  auto tx = store_.begin();
  const auto before = store_.tenants().find(id);
  if (!before) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
  if (before->retired_at)
    throw Error(ErrorCode::InvalidState, "tenant '" + id + "' was retired on " + format_date(*before->retired_at));
  Retired r;
  store_.tenants().set_retired(id, clock_.now());
  for (const auto& u : store_.admin_users().list(id)) {
    if (u.disabled) continue;
    store_.admin_users().set_disabled(u.id, true);
    store_.admin_sessions().remove_for_user(u.id);
    record(store_, clock_, actor_, "admin.disable", "admin:" + u.username, "tenant retired");
    r.disabled_admins.push_back(u.username);
  }
  record(store_, clock_, actor_, "tenant.retire", "tenant:" + id,
         "administrators_disabled=" + std::to_string(r.disabled_admins.size()));
  tx->commit();
  r.tenant = *store_.tenants().find(id);
  return r;
}

Tenant Tenants::reinstate(const std::string& id) {
  auto tx = store_.begin();
  const auto before = store_.tenants().find(id);
  if (!before) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
  if (!before->retired_at) throw Error(ErrorCode::InvalidState, "tenant '" + id + "' is not retired");
  store_.tenants().set_retired(id, std::nullopt);
  record(store_, clock_, actor_, "tenant.reinstate", "tenant:" + id);
  tx->commit();
  return *store_.tenants().find(id);
}

}  // namespace inkan::service
