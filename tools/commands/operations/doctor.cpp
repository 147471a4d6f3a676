// inkan doctor: integrity, audit chain, leftover reservations, CA expiry.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/doctor.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

namespace {

const char* severity_name(service::Severity severity) {
  switch (severity) {
    case service::Severity::Ok: return "ok";
    case service::Severity::Warning: return "warning";
    case service::Severity::Problem: return "problem";
  }
  return "problem";
}

// schemas/json/doctor.schema.json
nlohmann::json report_json(const service::DoctorReport& report) {
  auto findings = nlohmann::json::array();
  for (const auto& f : report.findings)
    findings.push_back({{"severity", severity_name(f.severity)}, {"check", f.check}, {"message", f.message}});
  return {{"healthy", report.healthy()}, {"findings", findings}};
}

}  // namespace

void add_doctor(CLI::App& app, Context& ctx) {
  auto clear = std::make_shared<bool>(false);
  auto reseal = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("table");
  auto* cmd = app.add_subcommand("doctor", "Check the data directory; exit 1 when anything is wrong");
  cmd->add_flag("--clear-reservations", *clear,
                "Remove serial reservations left by an interrupted issuance (they were never signed)");
  cmd->add_flag("--reseal", *reseal,
                "Record the security tables (administrators, their certificates, CAs, settings, tenants) as they "
                "are now under their keyed digest: once after upgrading to this version, or after checking a "
                "change doctor reported. Needs the passphrase");
  cmd->footer(
      "With the passphrase (--passphrase-file or $INKAN_PASSPHRASE_FILE) doctor also checks the keyed\n"
      "digest of the security tables, which shows an edit made outside inkan (e.g. with sqlite3);\n"
      "without it that check is skipped with a warning. Doctor never asks for the passphrase on the\n"
      "terminal, except for --reseal.");
  cmd->add_option("--format", *format,
                  "table: one line per check; json: {healthy, findings: [{severity, check, message}]} "
                  "(schemas/json/doctor.schema.json). The exit status is the same for both")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->callback([clear, reseal, format, &ctx] {
    service::DoctorOptions options{*clear, ctx.data_dir()};
    options.token_pin = ctx.token_pin_source();
    // Only a passphrase given non-interactively, so a scheduled doctor never waits on a prompt.
    if (*reseal) {
      options.data_key = &ctx.keyring().data_key();
    } else if (ctx.configured_passphrase()) {
      try {
        options.data_key = &ctx.keyring().data_key();
      } catch (const Error& e) {
        // Monitoring keeps working with a stale passphrase file; the finding says what was skipped.
        if (e.code() != ErrorCode::WrongPassphrase) throw;
        options.passphrase_refused = true;
      }
    }
    options.reseal = *reseal;
    auto report = service::run_doctor(ctx.store(), ctx.clock(), options, ctx.actor());
    if (*format == "json") {
      std::cout << report_json(report).dump(2) << "\n";
      if (!report.healthy()) throw ExitStatus{kExitUnhealthy};
      return;
    }
    for (const auto& f : report.findings) {
      const char* tag = f.severity == service::Severity::Ok ? "ok     " : f.severity == service::Severity::Warning ? "WARNING" : "PROBLEM";
      std::cout << tag << "  " << f.check << ": " << f.message << "\n";
    }
    if (!report.healthy()) throw ExitStatus{kExitUnhealthy};
  });
}

}  // namespace inkan::cli
