// inkan export: hand a stored credential out again, as .p12 or as a .zip bundle.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/domain/error.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_export(CLI::App& app, Context& ctx) {
  struct ExportArgs { std::string serial, out, profile; };
  auto a = std::make_shared<ExportArgs>();
  auto* cmd = app.add_subcommand("export", "Write a certificate's PKCS#12 (or a zip bundle) again");
  cmd->footer("FILE.zip holds the p12, the CA chain and import instructions, never the password\n"
              "(see `inkan password`). --p12-profile re-wraps the same key with the same password.");
  cmd->add_option("serial", a->serial, "Serial")->required();
  cmd->add_option("--out", a->out, "FILE.p12 or FILE.zip")->required()->type_name("FILE");
  cmd->add_option("--p12-profile", a->profile, "compat|modern (default: as issued)");
  cmd->callback([a, &ctx] {
    auto serial = Serial::parse(a->serial);
    std::filesystem::path out(a->out);
    bool zip = out.extension() == ".zip";
    if (!zip && out.extension() != ".p12")
      throw Error(ErrorCode::InvalidArgument, "--out must end in .p12 or .zip");
    std::optional<P12Profile> profile;
    if (!a->profile.empty()) profile = parse_profile_option(a->profile);
    ensure_creatable_file(out);
    service::Credentials creds(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    write_private_file(out, zip ? creds.zip(serial, profile) : creds.p12(serial, profile));
    std::cerr << "Wrote " << out.string() << "\n";
  });
}

}  // namespace inkan::cli
