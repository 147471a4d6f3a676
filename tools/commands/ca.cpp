// inkan ca cert: print the issuing CA certificate (and the chain).
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/credentials.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_ca(CLI::App& app, Context& ctx) {
  auto* ca = app.add_subcommand("ca", "Inspect the certificate authority");
  ca->require_subcommand(1);
  auto chain = std::make_shared<bool>(false);
  auto* cert = ca->add_subcommand("cert", "Print the issuing CA certificate as PEM");
  cert->add_flag("--chain", *chain, "Print the issuing CA, then the root");
  cert->callback([chain, &ctx] {
    auto issuing = ctx.store().cas().active_issuing();
    if (!issuing) throw Error(ErrorCode::InvalidState, "no active issuing CA: run `inkan init` first");
    std::cout << (*chain ? service::chain_pem(ctx.store(), issuing->id)
                         : crypto::pem_encode(issuing->cert_der, "CERTIFICATE"));
  });
}

}  // namespace inkan::cli
