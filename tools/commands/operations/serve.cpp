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
};

// "HOST:PORT", "[v6]:PORT" or ":PORT" (all addresses).
void parse_listen(const std::string& text, web::ServeConfig& c) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) throw Error(ErrorCode::InvalidArgument, "--listen must be HOST:PORT, got '" + text + "'");
  std::string host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int p = 0;
  try {
    std::size_t used = 0;
    p = std::stoi(port, &used);
    if (used != port.size()) p = 0;
  } catch (const std::exception&) {
  }
  if (p < 1 || p > 65535) throw Error(ErrorCode::InvalidArgument, "--listen: '" + port + "' is not a port (1-65535)");
  c.host = host.empty() ? "0.0.0.0" : host;
  c.port = p;
}

}  // namespace

void add_serve(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "Serve the self-service portal, the JSON API and EST over HTTPS");
  cmd->footer(
      "Reads the passphrase once, then serves until SIGTERM or SIGINT. The server certificate is issued by\n"
      "the issuing CA for the host names at first start and renewed when fewer than 30 days remain.\n"
      "Clients authenticate with their inkan client certificate (mutual TLS). See docs/operations.md.");
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
  cmd->callback([a, &ctx] {
    web::ServeConfig c;
    parse_listen(a->listen, c);
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
