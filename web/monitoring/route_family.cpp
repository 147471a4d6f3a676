#include "web/monitoring/route_family.hpp"

namespace inkan::web {
namespace {
bool under(std::string_view path, std::string_view root) {
  return path == root || (path.starts_with(root) && path.size() > root.size() && path[root.size()] == '/');
}
}  // namespace

RouteFamily route_family(std::string_view path) noexcept {
  if (under(path, "/api")) return RouteFamily::Api;
  if (under(path, "/admin")) return RouteFamily::Admin;
  if (under(path, "/.well-known/est")) return RouteFamily::Est;
  if (under(path, "/ocsp")) return RouteFamily::Ocsp;
  if (path == "/ca.pem" || path == "/crl" || path == "/crl.pem") return RouteFamily::Public;
  if (path == "/healthz") return RouteFamily::Health;
  if (path == "/metrics") return RouteFamily::Metrics;
  if (path == "/" || under(path, "/renew") || under(path, "/download") || under(path, "/banner") ||
      under(path, "/lang") || under(path, "/static"))
    return RouteFamily::Portal;
  return RouteFamily::Other;
}

}  // namespace inkan::web
