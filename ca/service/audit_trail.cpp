#include "ca/service/audit_trail.hpp"

namespace inkan::service {

void record(Store& store, const Clock& clock, const Actor& actor, std::string_view action,
            std::string_view object, std::string_view detail) {
  AuditEvent e;
  e.at = clock.now();
  e.actor = actor.name;
  e.action = std::string(action);
  e.object = std::string(object);
  e.detail = std::string(detail);
  store.audit().append(std::move(e));
}

}  // namespace inkan::service
