// inkan ca cert: print the issuing CA certificate (and the chain). The rollover subcommands
// (list, rollover, csr, import) live in ca_rollover.cpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/ocsp/ocsp_settings.hpp"
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

  struct SetArgs { std::string ocsp_url; bool no_ocsp_url = false; };
  auto s = std::make_shared<SetArgs>();
  auto* set = ca->add_subcommand("set", "Change what newly issued certificates carry (the OCSP URL)");
  set->footer("Certificates issued before keep what they carry. Example:\n"
              "  inkan ca set --ocsp-url http://ca.example:8080/ocsp   (serve it with inkan serve --ocsp-listen)");
  auto* url = set->add_option("--ocsp-url", s->ocsp_url, "OCSP responder URL (http://) for authorityInfoAccess")
                  ->type_name("URL");
  auto* none = set->add_flag("--no-ocsp-url", s->no_ocsp_url, "Issue certificates without an OCSP URL again");
  url->excludes(none);
  set->callback([s, &ctx, url, none] {
    if (!url->count() && !none->count()) throw Error(ErrorCode::InvalidArgument, "inkan ca set needs --ocsp-url URL or --no-ocsp-url");
    std::optional<std::string> value;
    if (!s->no_ocsp_url) value = s->ocsp_url;
    service::set_ocsp_url(ctx.sealed_store(), ctx.clock(), ctx.actor(), value);
    std::cout << (value ? "OCSP URL for new certificates: " + *value : std::string("New certificates carry no OCSP URL"))
              << "\n";
  });
  add_ca_rollover(*ca, ctx);
  add_ca_import_crl(*ca, ctx);
}

}  // namespace inkan::cli
