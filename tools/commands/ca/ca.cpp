// inkan ca cert: print the issuing CA certificate (and the chain). The rollover subcommands
// (list, rollover, csr, import) live in ca_rollover.cpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_ca(CLI::App& app, Context& ctx) {
  auto* ca = app.add_subcommand("ca", "Inspect the certificate authority, roll the issuing CA over");
  ca->require_subcommand(1);
  struct CertArgs { bool chain = false; std::int64_t id = 0; };
  auto a = std::make_shared<CertArgs>();
  auto* cert = ca->add_subcommand("cert", "Print the issuing CA certificate as PEM");
  cert->add_flag("--chain", a->chain, "Print the issuing CA, then the root");
  cert->add_option("--ca", a->id, "Print this CA (an id from `inkan ca list`) instead of the active issuing CA")
      ->type_name("ID");
  cert->callback([a, &ctx] {
    auto rec = a->id ? ctx.store().cas().find(a->id) : ctx.store().cas().active_issuing();
    if (!rec)
      throw Error(a->id ? ErrorCode::NotFound : ErrorCode::InvalidState,
                  a->id ? "no CA with id " + std::to_string(a->id) : "no active issuing CA: run `inkan init` first");
    std::cout << (a->chain ? service::chain_pem(ctx.store(), rec->id)
                           : crypto::pem_encode(rec->cert_der, "CERTIFICATE"));
  });
  add_ca_rollover(*ca, ctx);
  add_ca_import_crl(*ca, ctx);
}

}  // namespace inkan::cli
