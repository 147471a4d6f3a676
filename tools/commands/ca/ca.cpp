// inkan ca cert: print the issuing CA certificate (and the chain). The rollover subcommands
// (list, rollover, csr, import) live in ca_rollover.cpp.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/keys/crl_urls.hpp"
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

  struct SetArgs { std::string ocsp_url, crl_url; bool no_ocsp_url = false, no_crl_url = false; std::int64_t ca_id = 0; };
  auto s = std::make_shared<SetArgs>();
  auto* set = ca->add_subcommand("set", "Change what newly issued certificates carry (OCSP URL, CRL URL)");
  set->footer("Certificates issued before keep what they carry; a CA's earlier CRL URLs keep leading\n"
              "to its CRL (`inkan serve`, `inkan crl --all --out-dir`). Examples:\n"
              "  inkan ca set --ocsp-url http://ca.example:8080/ocsp   (serve it with inkan serve --ocsp-listen)\n"
              "  inkan ca set --crl-url http://ca.example/pki/inkan-ca3.crl --ca 3");
  auto* url = set->add_option("--ocsp-url", s->ocsp_url, "OCSP responder URL (http://) for authorityInfoAccess")
                  ->type_name("URL");
  auto* none = set->add_flag("--no-ocsp-url", s->no_ocsp_url, "Issue certificates without an OCSP URL again");
  url->excludes(none);
  auto* crl = set->add_option("--crl-url", s->crl_url, "CRL distribution point (http:// or https://) of the CA's new certificates")
                  ->type_name("URL");
  auto* no_crl = set->add_flag("--no-crl-url", s->no_crl_url, "Issue the CA's certificates without a CRL URL");
  crl->excludes(no_crl);
  set->add_option("--ca", s->ca_id, "With --crl-url: the issuing CA (default: the active one; ids from `inkan ca list`)")
      ->type_name("ID");
  set->callback([s, &ctx, url, none, crl, no_crl] {
    if (!url->count() && !none->count() && !crl->count() && !no_crl->count())
      throw Error(ErrorCode::InvalidArgument,
                  "inkan ca set needs --ocsp-url URL, --no-ocsp-url, --crl-url URL or --no-crl-url (see inkan ca set --help)");
    if (s->ca_id && !crl->count() && !no_crl->count())
      throw Error(ErrorCode::InvalidArgument, "--ca ID goes with --crl-url or --no-crl-url (the OCSP URL is one for all CAs)");
    if (url->count() || none->count()) {
      std::optional<std::string> value;
      if (!s->no_ocsp_url) value = s->ocsp_url;
      service::set_ocsp_url(ctx.sealed_store(), ctx.clock(), ctx.actor(), value);
      std::cout << (value ? "OCSP URL for new certificates: " + *value : std::string("New certificates carry no OCSP URL"))
                << "\n";
    }
    if (crl->count() || no_crl->count()) {
      auto ca_id = s->ca_id;
      if (!ca_id) {
        auto active = ctx.store().cas().active_issuing();
        if (!active) throw Error(ErrorCode::InvalidState, "no active issuing CA: run `inkan init` first");
        ca_id = active->id;
      }
      std::optional<std::string> value;
      if (!s->no_crl_url) value = s->crl_url;
      service::set_crl_url(ctx.sealed_store(), ctx.clock(), ctx.actor(), ca_id, value);
      std::cout << "CA " << ca_id << ": "
                << (value ? "new certificates name the CRL URL " + *value : std::string("new certificates carry no CRL URL"))
                << "\n";
    }
  });
  add_ca_rollover(*ca, ctx);
  add_ca_import_crl(*ca, ctx);
}

}  // namespace inkan::cli
