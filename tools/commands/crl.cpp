// inkan crl: sign and write a fresh CRL for the issuing CA.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/certificate.hpp"
#include "ca/service/revocation.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_crl(CLI::App& app, Context& ctx) {
  struct CrlArgs { std::string out; bool pem = false; int days = 7; };
  auto a = std::make_shared<CrlArgs>();
  auto* cmd = app.add_subcommand("crl", "Publish a v2 CRL signed by the issuing CA");
  cmd->footer("CRL numbers strictly increase. Without --out the CRL goes to stdout.");
  cmd->add_option("--out", a->out, "Output file")->type_name("FILE");
  cmd->add_flag("--pem", a->pem, "PEM instead of DER");
  cmd->add_option("--next-update-days", a->days, "Days until nextUpdate")->capture_default_str()->check(CLI::Range(1, 365));
  cmd->callback([a, &ctx] {
    service::Revocation revocation(ctx.store(), ctx.clock(), ctx.actor());
    auto crl = revocation.publish_crl(ctx.keyring(), ctx.rng(), std::chrono::hours(24 * a->days));
    std::string body = a->pem ? crypto::pem_encode(crl.der, "X509 CRL")
                              : std::string(crl.der.begin(), crl.der.end());
    if (a->out.empty()) {
      std::cout << body;
    } else {
      write_public_file(a->out, body);
      std::cerr << "Wrote CRL number " << crl.number << " with " << crl.entries << " entries to " << a->out
                << " (next update " << format_rfc3339(crl.next_update) << ")\n";
    }
  });
}

}  // namespace inkan::cli
