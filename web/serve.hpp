#pragma once
// `inkan serve`: the appliance's HTTPS server, started by tools/commands/operations/serve.cpp.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/time.hpp"
#include "ca/service/admin/admin_login.hpp"
#include "web/server/https_server.hpp"

namespace inkan::service { class Keyring; }

namespace inkan::web {

struct ServeConfig {
  std::filesystem::path data_dir;
  std::string host = "127.0.0.1";
  int port = 8443;
  std::vector<std::string> hostnames;  // SANs of the server certificate
  ServerLimits limits;
  std::chrono::seconds maintenance_interval{600};  // server certificate and trust refresh
  service::AdminLoginPolicy admin_login;  // the management site's login rules (/admin)
  struct Listen {
    std::string host;
    int port = 0;
  };
  std::optional<Listen> ocsp_listen;  // a plain-HTTP listener that serves /ocsp only
  std::chrono::milliseconds ocsp_refresh_interval{200};  // how soon a revocation reaches OCSP
  std::optional<Listen> metrics_listen;  // a plain-HTTP listener that serves /metrics only
  bool metrics_per_tenant = false;       // certificate gauges per tenant too
  const Clock* clock = nullptr;          // the process clock (null: the system clock)
};

// The host names used when none are given: localhost and the listen address (unless it is a
// wildcard address).
std::vector<std::string> default_hostnames(const std::string& listen_host);

// Serves until SIGTERM or SIGINT, then finishes the requests in progress and returns.
// `keyring` is already unlocked (the passphrase was read once, at start).
void serve(const ServeConfig& config, service::Keyring& keyring);

}  // namespace inkan::web
