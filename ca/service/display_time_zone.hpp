#pragma once
// The time zone people read times in, on the screens and in the CLI's human output (issue 16,
// item 8): `inkan settings set --time-zone`, kept in the settings table (so a backup carries it).
// Unset, it is the system's zone ($TZ, else /etc/localtime). JSON stays RFC 3339 UTC.
#include <optional>
#include <string>

#include "ca/domain/local_time.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// The configured zone, else TimeZone::system(). A stored name the tz database no longer knows
// (the data directory moved to a machine without it) falls back to the system zone.
TimeZone display_time_zone(Store& store);
// The stored IANA name, nullopt when the system's zone is used.
std::optional<std::string> configured_time_zone(Store& store);
// Validates the name against the tz database and stores it, or returns to the system's zone
// (nullopt); audited as "settings.set" ("time_zone=...").
void set_display_time_zone(Store& store, const Clock& clock, const Actor& actor, const std::optional<std::string>& name);

}  // namespace inkan::service
