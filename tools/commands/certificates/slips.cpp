// inkan slips: the printable password slips of a tenant or of one batch job, as an HTML file
// (0600: it holds every password it prints). The same template as the management site's page.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "ca/domain/error.hpp"
#include "ca/service/issuance/password_slips.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "commands/commands.hpp"
#include "web/password_slips.hpp"

namespace inkan::cli {

void add_slips(CLI::App& app, Context& ctx) {
  struct SlipsArgs {
    std::string tenant, out;
    std::int64_t job = -1;
  };
  auto a = std::make_shared<SlipsArgs>();
  auto* cmd = app.add_subcommand("slips", "Write printable password slips (one per terminal) as an HTML file (audited)");
  cmd->footer(
      "One slip per active certificate of the tenant (or per certificate a batch job issued for it)\n"
      "that holds a stored password: facility, CN, serial, expiry, password and the import steps in\n"
      "Japanese and English, with cut lines between slips. Open the file in a browser and print it on\n"
      "A4; a slip never splits across pages. The file holds every password it shows: it is created\n"
      "0600 and never overwritten; delete it once printed. Needs the passphrase; the reveal is\n"
      "audited (password.reveal on tenant:ID).\n"
      "Examples:\n"
      "  inkan slips --tenant himawari --out himawari-slips.html\n"
      "  inkan slips --tenant himawari --job 3 --out batch3-slips.html");
  cmd->add_option("--tenant", a->tenant, "Tenant id")->required();
  cmd->add_option("--job", a->job, "Only the certificates this batch job issued for the tenant (its id: manifest.json, job.id)")
      ->type_name("ID")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{999'999'999'999}));
  cmd->add_option("--out", a->out, "The HTML file to create (0600, must not exist)")->required()->type_name("FILE.html");
  cmd->callback([a, &ctx] {
    const std::filesystem::path out(a->out);
    ensure_creatable_file(out);  // before the passphrase, so a bad --out costs nothing
    if (!ctx.store().tenants().find(a->tenant)) throw Error(ErrorCode::NotFound, "unknown tenant '" + a->tenant + "'");
    std::optional<std::int64_t> job;
    if (a->job > 0) job = a->job;
    service::PasswordSlips slips(ctx.store(), ctx.keyring(), ctx.clock(), ctx.actor());
    const auto sheet = slips.sheet(a->tenant, job);
    write_private_file(out, web::password_slips_html(sheet, web::SlipStyle::Inline, ctx.time_zone()));
    std::cerr << "Wrote " << sheet.slips.size() << " password slips to " << out.string()
              << " (0600; delete it once printed)\n";
  });
}

}  // namespace inkan::cli
