#pragma once
// The route family of a request path, the `family` label of the request metrics: a handful of
// values whatever the path (no serials, no ids).
#include <string_view>

#include "web/monitoring/metrics_registry.hpp"

namespace inkan::web {

RouteFamily route_family(std::string_view path) noexcept;

}  // namespace inkan::web
