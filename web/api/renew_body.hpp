#pragma once
// The body of POST /api/v1/renew, parsed by a pure function so the fuzz target reaches it
// without a server (tests/fuzz/fuzz_api_body.cpp).
#include <optional>
#include <string_view>

#include "ca/domain/enums.hpp"

namespace inkan::web {

// {} or {"p12_profile": "compat"|"modern"}; nothing else. nullopt: the body is refused;
// an engaged but empty profile: the default. Never throws for bad input.
std::optional<std::optional<P12Profile>> parse_renew_body(std::string_view text);

}  // namespace inkan::web
