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
  // The display name: the O= of certificates issued from now on (issued ones keep theirs until
  // renewed) and the name on the screens. The id stays: file names and URLs carry it.
  Tenant rename(const std::string& id, const std::string& name);
  // The facility left: nothing is issued, renewed or reissued for it from now on, and its
  // administrators are disabled (their sessions end). Certificates stay as they are (revoke them
  // with Revocation for a terminal that must stop working). InvalidState when already retired.
  struct Retired {
    Tenant tenant;
    std::vector<std::string> disabled_admins;
  };
  Retired retire(const std::string& id);
  // Back in service; its administrators stay disabled until enabled one by one. InvalidState
  // when it is not retired.
  Tenant reinstate(const std::string& id);

 private:
  Store& store_;
  const Clock& clock_;
  Actor actor_;
};

}  // namespace inkan::service
