// inkan renew / inkan reissue: a successor with a new key for the same identity.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/service/lifecycle/renewal.hpp"
#include "cli/context.hpp"
#include "cli/deliver.hpp"
#include "cli/files.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct SuccessorArgs {
  std::string serial, out, profile, format = "text";
  bool force = false, allow_revoked = false;
};

void deliver(const SuccessorArgs& a, const service::RenewalResult& r, const TimeZone& zone) {
  if (r.already_renewed)
    std::cerr << "Certificate " << Serial::parse(a.serial).hex() << " was already renewed: handing out its successor "
              << r.credential.record.serial.hex() << " again\n";
  if (r.credential.p12.empty()) {
    std::cout << r.credential.record.serial.hex() << "\n";
    std::cerr << "The successor was signed from a CSR: there is no p12 to write\n";
    return;
  }
  deliver_credential(a.out, r.credential, parse_report_format(a.format), zone);
}

void add_common(CLI::App* cmd, SuccessorArgs& a) {
  cmd->add_option("serial", a.serial, "Serial of the certificate to succeed")->required();
  cmd->add_option("--out", a.out, "Output directory (created if missing)")->required()->type_name("DIR");
  cmd->add_option("--p12-profile", a.profile, "compat|modern (default: as the old certificate)");
  cmd->add_option("--format", a.format, "text|json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
}

}  // namespace

void add_renew(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SuccessorArgs>();
  auto* renew = app.add_subcommand("renew", "Renew a certificate inside its renewal window");
  renew->footer(
      "The successor has a new key, the same tenant, subject, SAN, kind and key type, and 3 years of\n"
      "validity from now. The old certificate becomes 'superseded' and stays valid until it expires.\n"
      "The window opens 90 days before expiry (per tenant: inkan tenant set ID --renewal-window DAYS).\n"
      "An expired or revoked certificate cannot renew: see `inkan reissue`. Renewing a certificate\n"
      "that was already renewed writes its existing successor again instead of issuing another.");
  add_common(renew, *a);
  renew->add_flag("--force", a->force, "Renew before the window opens (operator override)");
  renew->callback([a, &ctx] {
    ensure_private_output_dir(a->out);
    service::Renewer renewer(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    service::RenewOptions o;
    o.force = a->force;
    if (!a->profile.empty()) o.p12_profile = parse_profile_option(a->profile);
    deliver(*a, renewer.renew(Serial::parse(a->serial), o), ctx.time_zone());
  });

  auto b = std::make_shared<SuccessorArgs>();
  auto* reissue = app.add_subcommand("reissue", "Reissue any certificate, expired included (administrator)");
  reissue->footer(
      "For a certificate that expired before it was renewed (seed rule 3): a new key and certificate\n"
      "for the same identity, linked to the old one. Install it on the terminal again.");
  add_common(reissue, *b);
  reissue->add_flag("--allow-revoked", b->allow_revoked, "Also reissue a revoked certificate");
  reissue->callback([b, &ctx] {
    ensure_private_output_dir(b->out);
    service::Renewer renewer(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    service::ReissueOptions o;
    o.allow_revoked = b->allow_revoked;
    if (!b->profile.empty()) o.p12_profile = parse_profile_option(b->profile);
    deliver(*b, renewer.reissue(Serial::parse(b->serial), o), ctx.time_zone());
  });
}

}  // namespace inkan::cli
