#include "ca/service/lifecycle/predecessor_policy.hpp"

#include "ca/service/audit_trail.hpp"

namespace inkan::service {

std::size_t apply_predecessor_policy(Store& store, const Clock& clock, std::size_t limit) {
  // The common case, no tenant with a policy, costs one read of the tenants table.
  bool any = false;
  for (const auto& t : store.tenants().list()) any = any || t.revoke_predecessor_after_days.has_value();
  if (!any) return 0;
  std::size_t revoked = 0;
  for (const auto& due : store.certificates().predecessors_due(clock.now(), limit)) {
    auto tx = store.begin();
    auto rec = store.certificates().find(due.serial);
    if (!rec || rec->state != CertState::Superseded) continue;  // revoked meanwhile
    store.certificates().revoke(due.serial, RevocationReason::Superseded, due.due);
    record(store, clock, Actor{"policy:revoke-predecessor"}, "cert.revoke", "cert:" + due.serial.hex(),
           "reason=superseded successor=" + due.successor.hex() + " after_days=" + std::to_string(due.days) +
               " effective=" + format_rfc3339(due.due));
    tx->commit();
    ++revoked;
  }
  return revoked;
}

}  // namespace inkan::service
