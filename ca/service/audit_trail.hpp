#pragma once
// Every state change is recorded, with its actor, in the hash-chained audit log.
#include <string>
#include <string_view>

#include "ca/domain/time.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct Actor {
  std::string name;  // "cli:<user>", "admin:<login>", "portal:<serial>"
};

// Appends inside the caller's transaction, so the change and its record commit together.
void record(Store& store, const Clock& clock, const Actor& actor, std::string_view action,
            std::string_view object, std::string_view detail = {});

}  // namespace inkan::service
