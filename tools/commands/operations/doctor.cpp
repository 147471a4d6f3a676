// inkan doctor: integrity, audit chain, leftover reservations, CA expiry.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/service/doctor.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_doctor(CLI::App& app, Context& ctx) {
  auto clear = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("doctor", "Check the data directory; exit 1 when anything is wrong");
  cmd->add_flag("--clear-reservations", *clear,
                "Remove serial reservations left by an interrupted issuance (they were never signed)");
  cmd->callback([clear, &ctx] {
    auto report = service::run_doctor(ctx.store(), ctx.clock(), {*clear, ctx.data_dir()}, ctx.actor());
    for (const auto& f : report.findings) {
      const char* tag = f.severity == service::Severity::Ok ? "ok     " : f.severity == service::Severity::Warning ? "WARNING" : "PROBLEM";
      std::cout << tag << "  " << f.check << ": " << f.message << "\n";
    }
    if (!report.healthy()) throw ExitStatus{kExitUnhealthy};
  });
}

}  // namespace inkan::cli
