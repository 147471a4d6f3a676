// inkan expiring: what needs renewing soon, as a table, CSV, JSON or an iCalendar file.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/service/lifecycle/expiry_report.hpp"
#include "cli/context.hpp"
#include "cli/ics.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_expiring(CLI::App& app, Context& ctx) {
  struct ExpiringArgs { int within = 90; std::string tenant, format = "table"; };
  auto a = std::make_shared<ExpiringArgs>();
  auto* cmd = app.add_subcommand("expiring", "Active certificates that expire within DAYS");
  cmd->footer("--format ics writes an iCalendar file with two all-day events per certificate: the day\n"
              "its renewal window opens and the day it expires.\n"
              "Example: inkan expiring --within 120 --format ics > renewals.ics");
  cmd->add_option("--within", a->within, "Horizon in days")->required()->check(CLI::Range(0, 36500))->type_name("DAYS");
  cmd->add_option("--tenant", a->tenant, "Only this tenant");
  cmd->add_option("--format", a->format, "table|csv|json|ics")
      ->check(CLI::IsMember({"table", "csv", "json", "ics"}))->capture_default_str();
  cmd->callback([a, &ctx] {
    const auto now = ctx.clock().now();
    auto certs = service::expiring_certificates(ctx.store(), ctx.clock(), a->within,
                                                a->tenant.empty() ? std::nullopt : std::optional(a->tenant));
    if (a->format == "ics") {
      std::cout << render_ics(certs, now);
      return;
    }
    if (a->format == "json") {
      auto arr = nlohmann::json::array();
      for (const auto& e : certs) {
        auto j = certificate_json(e.certificate, now);
        j["renewal_opens"] = format_rfc3339(e.window_opens);
        arr.push_back(j);
      }
      std::cout << arr.dump(2) << "\n";
      return;
    }
    // The table is read by people (the installation's zone); CSV keeps UTC dates.
    auto when = [&](Timestamp t) { return a->format == "csv" ? format_date(t) : ctx.local_time(t); };
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : certs)
      rows.push_back({e.certificate.serial.hex(), e.certificate.tenant_id, e.certificate.cn,
                      std::string(to_string(e.certificate.kind)), when(e.window_opens),
                      when(e.certificate.not_after), std::to_string(e.days_left)});
    std::vector<std::string> header{"SERIAL", "TENANT", "CN", "KIND", "RENEWAL_OPENS", "NOT_AFTER", "DAYS_LEFT"};
    if (a->format == "csv") {
      for (auto& h : header) for (auto& ch : h) ch = static_cast<char>(std::tolower(ch));
      print_csv(std::cout, header, rows);
    } else {
      print_table(std::cout, header, rows);
    }
  });
}

}  // namespace inkan::cli
