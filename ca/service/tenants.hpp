#pragma once
// Tenants: the facilities whose certificates we manage.
#include <optional>
#include <string>
#include <vector>

#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

class Tenants {
 public:
  Tenants(Store& store, const Clock& clock, Actor actor) : store_(store), clock_(clock), actor_(std::move(actor)) {}
  // Throws InvalidArgument for a bad id or name, AlreadyExists for a taken id.
  Tenant add(const std::string& id, const std::string& name);
  std::vector<Tenant> list();
  // The tenant's renewal window in days (1..365), or nullopt for the installation default.
  Tenant set_renewal_window(const std::string& id, std::optional<int> days);
  // Revoke renewed certificates `days` (0..3650) after their successor was issued; nullopt =
  // never. Audited (tenant.policy); the revocations themselves are audited as they take effect.
  Tenant set_revoke_predecessor_after(const std::string& id, std::optional<int> days);

 private:
  Store& store_;
  const Clock& clock_;
  Actor actor_;
};

}  // namespace inkan::service
