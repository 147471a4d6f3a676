// inkan export: hand a stored credential out again, as .p12 or as a .zip bundle, or the
// certificate alone (.pem/.crt PEM, .der/.cer DER), for a relying party or an inventory.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

// The certificate without its key: PEM (optionally with the chain) or DER, public (0644).
void export_certificate(Context& ctx, const Serial& serial, const std::filesystem::path& out, bool chain) {
  const bool der = out.extension() == ".der" || out.extension() == ".cer";
  if (der && chain) throw Error(ErrorCode::InvalidArgument, "--chain needs PEM (--out FILE.pem): DER holds one certificate");
  auto rec = ctx.store().certificates().find(serial);
  if (!rec || rec->cert_der.empty()) throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
  ensure_creatable_file(out);
  std::string content = der ? std::string(rec->cert_der.begin(), rec->cert_der.end())
                            : crypto::pem_encode(rec->cert_der, "CERTIFICATE");
  if (chain) content += service::chain_pem(ctx.store(), rec->ca_id);
  write_public_file(out, content);
  std::cerr << "Wrote " << out.string() << " (" << rec->cn << ", " << (der ? "DER" : chain ? "PEM with chain" : "PEM")
            << ")\n";
}

}  // namespace

void add_export(CLI::App& app, Context& ctx) {
  struct ExportArgs { std::string serial, out, profile; bool chain = false; };
  auto a = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Write a certificate's PKCS#12 (or a zip bundle) again");
  cmd->footer("FILE.zip holds the p12, the CA chain and import instructions, never the password\n"
              "(see `inkan password`). --p12-profile re-wraps the same key with the same password.\n"
              "FILE.pem or FILE.crt is the certificate alone in PEM (--chain adds its issuing CA and root),\n"
              "FILE.der or FILE.cer in DER: no key, mode 0644, also for certificates signed from a CSR.\n"
              "A missing directory is made (0700). Examples:\n"
              "  inkan export SERIAL --out bundle.zip\n"
              "  inkan export SERIAL --out client.pem --chain");
  cmd->add_option("serial", a->serial, "Serial")->required();
  cmd->add_option("--out", a->out, "FILE.p12 or FILE.zip")->required()->type_name("FILE");
  cmd->add_option("--p12-profile", a->profile, "compat|modern (default: as issued)");
  cmd->add_flag("--chain", a->chain, "With FILE.pem/.crt: the issuing CA and the root after the certificate");
  cmd->callback([a, &ctx] {
    auto serial = Serial::parse(a->serial);
    std::filesystem::path out(a->out);
    const auto ext = out.extension();
    if (ext == ".pem" || ext == ".crt" || ext == ".der" || ext == ".cer") return export_certificate(ctx, serial, out, a->chain);
    if (a->chain) throw Error(ErrorCode::InvalidArgument, "--chain goes with --out FILE.pem or FILE.crt (a zip has the chain)");
    bool zip = ext == ".zip";
    if (!zip && ext != ".p12")
      throw Error(ErrorCode::InvalidArgument, "--out must end in .p12, .zip, .pem, .crt, .der or .cer");
    std::optional<P12Profile> profile;
    if (!a->profile.empty()) profile = parse_profile_option(a->profile);
    ensure_creatable_file(out);
    service::Credentials creds(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    write_private_file(out, zip ? creds.zip(serial, profile) : creds.p12(serial, profile));
    std::cerr << "Wrote " << out.string() << "\n";
  });
}

}  // namespace inkan::cli
