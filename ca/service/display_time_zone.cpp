#include "ca/service/display_time_zone.hpp"

#include "ca/domain/error.hpp"
#include "ca/service/settings_keys.hpp"

namespace inkan::service {

std::optional<std::string> configured_time_zone(Store& store) {
  auto name = store.settings().get(settings_keys::kTimeZone);
  if (!name || name->empty()) return std::nullopt;  // back to the system's: stored as empty
  return name;
}

TimeZone display_time_zone(Store& store) {
  auto name = configured_time_zone(store);
  if (!name) return TimeZone::system();
  try {
    return TimeZone::named(*name);
  } catch (const Error&) {
    return TimeZone::system();
  }
}

void set_display_time_zone(Store& store, const Clock& clock, const Actor& actor, const std::optional<std::string>& name) {
  if (name) (void)TimeZone::named(*name);  // throws InvalidArgument for an unknown zone
  auto tx = store.begin();
  store.settings().put(settings_keys::kTimeZone, name.value_or(""));
  record(store, clock, actor, "settings.set", "settings:" + std::string(settings_keys::kTimeZone),
         "time_zone=" + name.value_or("(system)"));
  tx->commit();
}

}  // namespace inkan::service
