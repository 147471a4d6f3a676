// The offline root's CRL: `inkan root crl` signs it where the root file is (no data directory),
// `inkan ca import-crl` brings it into the appliance, which serves it in /crl.pem with the
// issuing CAs' CRLs.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/keys/root_crl.hpp"
#include "ca/service/keys/root_signing.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "cli/input_file.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

// SERIAL or SERIAL:REASON (reason as `inkan revoke --reason` spells it; default cACompromise).
RevokedEntry revoked_entry(const std::string& text, Timestamp now) {
  const auto colon = text.find(':');
  RevokedEntry e;
  e.serial = Serial::parse(text.substr(0, colon));
  e.revoked_at = now;
  e.reason = RevocationReason::CaCompromise;
  if (colon != std::string::npos) {
    auto reason = parse_revocation_reason(text.substr(colon + 1));
    if (!reason) throw Error(ErrorCode::InvalidArgument, "--revoke: unknown reason '" + text.substr(colon + 1) + "'");
    e.reason = *reason;
  }
  return e;
}

Bytes read_crl(const std::string& path) {
  auto text = read_input_file(path, 16 * 1024 * 1024);
  if (text.find("-----BEGIN X509 CRL-----") != std::string::npos) return crypto::pem_decode_all(text, "X509 CRL").front();
  return Bytes(text.begin(), text.end());
}

}  // namespace

void add_root_crl(CLI::App& root, Context& ctx) {
  struct Args {
    std::string file, out;
    int days = 30;
    std::uint64_t number = 0;
    bool pem = false;
    std::vector<std::string> revoke;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = root.add_subcommand("crl", "Sign the offline root's CRL (for `inkan ca import-crl` and relying parties)");
  cmd->footer(
      "Runs where the root file is; needs no data directory. List every issuing CA the root has revoked\n"
      "with --revoke, each time (a CRL replaces the previous one). The CRL number defaults to the current\n"
      "Unix time, so numbers increase from run to run without any stored state.\n"
      "Example: inkan root crl /media/usb/root.pem --out /media/usb/root.crl --next-update-days 90");
  cmd->add_option("file", a->file, "The file written by `inkan init --offline-root`")->required()->type_name("FILE");
  cmd->add_option("--out", a->out, "Where to write the CRL (never overwritten)")->required()->type_name("FILE");
  cmd->add_option("--next-update-days", a->days, "nextUpdate = now + DAYS (1-366)")->check(CLI::Range(1, 366))->capture_default_str();
  cmd->add_option("--crl-number", a->number, "CRL number (default: the current Unix time)")->type_name("N");
  cmd->add_option("--revoke", a->revoke, "An issuing CA's serial the root revokes, SERIAL or SERIAL:REASON (repeatable)")
      ->type_name("SERIAL[:REASON]");
  cmd->add_flag("--pem", a->pem, "Write PEM instead of DER");
  cmd->callback([a, &ctx] {
    const auto now = ctx.clock().now();
    service::RootCrlRequest r;
    r.this_update = now;
    r.lifetime = std::chrono::days(a->days);
    r.number = a->number ? a->number : static_cast<std::uint64_t>(now.time_since_epoch().count());
    for (const auto& s : a->revoke) r.revoked.push_back(revoked_entry(s, now));
    auto text = read_input_file(a->file, service::kMaxRootFileBytes);
    ensure_creatable_file(a->out);
    auto root_ca = service::root_file_token(text) ? service::load_token_root_file(text, ctx.token_pin_source())
                                                  : service::load_root_file(text, ctx.passphrase());
    auto der = service::make_root_crl(root_ca, r, ctx.rng());
    if (a->pem)
      write_public_file(a->out, crypto::pem_encode(der, "X509 CRL"));
    else
      write_public_file(a->out, std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
    std::cout << "Wrote the root CRL number " << r.number << " with " << r.revoked.size() << " entries to " << a->out
              << " (next update " << format_rfc3339(now + r.lifetime) << ").\n"
              << "Next, on the CA machine: inkan ca import-crl " << a->out << "\n";
  });
}

void add_ca_import_crl(CLI::App& ca, Context& ctx) {
  auto file = std::make_shared<std::string>();
  auto* cmd = ca.add_subcommand("import-crl", "Import the offline root's CRL, to serve it with the issuing CAs' CRLs");
  cmd->footer("The CRL must be signed by this installation's root and newer than the one imported before.\n"
              "`inkan serve` then includes it in /crl.pem. Import each new one before the last one's next update.");
  cmd->add_option("file", *file, "The CRL from `inkan root crl` (DER or PEM)")->required()->type_name("FILE");
  cmd->callback([file, &ctx] {
    auto r = service::import_root_crl(ctx.sealed_store(), ctx.clock(), ctx.actor(), read_crl(*file));
    std::cout << (r.unchanged ? "Already imported: " : "Imported ") << "root CRL number " << r.number << " with "
              << r.entries << " entries, next update " << format_rfc3339(r.next_update) << ".\n";
  });
}

}  // namespace inkan::cli
