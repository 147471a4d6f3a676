#pragma once
// The one table from the core's error codes to HTTP statuses (design.md §2: each front end maps
// codes to its own terms in one place). Messages shown to users never come from exceptions.
#include <string_view>

#include "ca/domain/error.hpp"

namespace inkan::web {

int http_status(ErrorCode code);
// Short machine-readable name for JSON errors ("invalid_argument", ...).
std::string_view error_slug(ErrorCode code);

}  // namespace inkan::web
