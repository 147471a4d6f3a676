// inkan serve: the HTTPS appliance (self-service portal, management site, JSON API, EST). The work
// is in web/.
#include <CLI/CLI.hpp>

#include "ca/domain/error.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"
#include "web/serve.hpp"

namespace inkan::cli {
namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8443";
  std::vector<std::string> hostnames;
  std::string admin_client_cert = "on";
  std::string ocsp_listen;
  std::string metrics_listen;
  bool metrics_per_tenant = false;
};

// "HOST:PORT", "[v6]:PORT" or ":PORT" (all addresses), for the option `option`.
web::ServeConfig::Listen parse_address(const std::string& option, const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) throw Error(ErrorCode::InvalidArgument, option + " must be HOST:PORT, got '" + text + "'");
  std::string host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int p = 0;
  try {
    std::size_t used = 0;
    p = std::stoi(port, &used);
    if (used != port.size()) p = 0;
  } catch (const std::exception&) {
  }
  if (p < 1 || p > 65535) throw Error(ErrorCode::InvalidArgument, option + ": '" + port + "' is not a port (1-65535)");
  return {host.empty() ? "0.0.0.0" : host, p};
}

}  // namespace

void add_serve(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Serve the self-service portal, the JSON API and EST over HTTPS");
  cmd->footer(
      "Reads the passphrase once, then serves until SIGTERM or SIGINT. The server certificate is issued by\n"
      "the issuing CA for the host names at first start and renewed when fewer than 30 days remain.\n"
      "Clients authenticate with their inkan client certificate (mutual TLS). See docs/operations.md.\n"
      "\n"
      "OCSP: the responder answers at /ocsp (POST) and /ocsp/<base64> (GET) on the HTTPS port, and with\n"
      "--ocsp-listen also over plain HTTP, as relying parties such as nginx (ssl_ocsp) expect. Each CA\n"
      "signs a 7-day responder certificate, renewed automatically; a revocation by any process (inkan\n"
      "revoke, the management site) is served within a second. See docs/integration.md.\n"
      "\n"
      "CRLs: /crl (the active CA's), /crl.pem (all), and each issuing CA's CRL at the path of every CRL\n"
      "URL its certificates name (`inkan ca list`), on the HTTPS port and on --ocsp-listen.\n"
      "\n"
      "Monitoring: GET /healthz (no client certificate) answers 200 when the database answers, the keys\n"
      "are unlocked, the server certificate has more than 7 days and the CRL is current, else 503 naming\n"
      "the failing check. --metrics-listen adds a plain-HTTP listener with Prometheus metrics at /metrics.\n"
      "See docs/operations.md, \"Monitoring\".");
  cmd->add_option("--listen", a->listen, "Address and port to listen on")->type_name("HOST:PORT")->capture_default_str();
  cmd->add_option("--hostname", a->hostnames,
                  "Host name or IPv4 address clients use (repeatable; default: localhost and the listen address)")
      ->type_name("NAME");
  cmd->add_option("--admin-client-cert", a->admin_client_cert,
                  "Whether logging in to the management site (/admin) needs a tenant-admin client certificate of "
                  "the administrator's tenant (on, the default) or a password only (off)")
      ->check(CLI::IsMember({"on", "off"}))
      ->type_name("on|off")
      ->capture_default_str();
  cmd->add_option("--ocsp-listen", a->ocsp_listen,
                  "Also answer OCSP and serve the CRLs (nothing else) over plain HTTP on this address, e.g. "
                  "127.0.0.1:8080 for nginx's ssl_ocsp_responder http://127.0.0.1:8080/ocsp")
      ->type_name("HOST:PORT");
  cmd->add_option("--metrics-listen", a->metrics_listen,
                  "Serve Prometheus metrics (GET /metrics, plain HTTP, no authentication) on this address, e.g. "
                  "127.0.0.1:9464; off by default. Keep it on loopback or a management network")
      ->type_name("HOST:PORT");
  cmd->add_flag("--metrics-per-tenant", a->metrics_per_tenant,
                "Also export the certificate counts per tenant (one series per tenant and status)");
  cmd->callback([a, &ctx] {
    web::ServeConfig c;
    const auto listen = parse_address("--listen", a->listen);
    c.host = listen.host;
    c.port = listen.port;
    if (!a->ocsp_listen.empty()) {
      c.ocsp_listen = parse_address("--ocsp-listen", a->ocsp_listen);
      if (c.ocsp_listen->port == c.port)
        throw Error(ErrorCode::InvalidArgument, "--ocsp-listen needs a port of its own (--listen uses " +
                                                    std::to_string(c.port) + ")");
    }
    if (!a->metrics_listen.empty()) {
      c.metrics_listen = parse_address("--metrics-listen", a->metrics_listen);
      if (c.metrics_listen->port == c.port || (c.ocsp_listen && c.ocsp_listen->port == c.metrics_listen->port))
        throw Error(ErrorCode::InvalidArgument, "--metrics-listen needs a port of its own");
    } else if (a->metrics_per_tenant) {
      throw Error(ErrorCode::InvalidArgument, "--metrics-per-tenant needs --metrics-listen");
    }
    c.metrics_per_tenant = a->metrics_per_tenant;
    c.clock = &ctx.clock();
    c.admin_login.require_client_cert = a->admin_client_cert == "on";
    c.hostnames = a->hostnames.empty() ? web::default_hostnames(c.host) : a->hostnames;
    c.data_dir = ctx.data_dir();
    // Every CA key now, so the server never needs the passphrase for them again: after
    // `inkan passphrase change` it keeps signing and publishing CRLs with what it unlocked.
    ctx.keyring().unlock_all_cas(ctx.store());
    web::serve(c, ctx.keyring());
  });
}

}  // namespace inkan::cli
