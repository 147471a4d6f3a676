// inkan password: reveal the stored p12 password (audited), as the seed's admin screen does.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/service/issuance/credentials.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_password(CLI::App& app, Context& ctx) {
  auto serial = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("password", "Print the PKCS#12 password of a certificate (audited)");
  cmd->add_option("serial", *serial, "Serial")->required();
  cmd->callback([serial, &ctx] {
    service::Credentials creds(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    std::cout << creds.reveal_password(Serial::parse(*serial)) << "\n";
  });
}

}  // namespace inkan::cli
