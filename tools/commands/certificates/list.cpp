// inkan list: certificates, with status derived at the moment of the call.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/lifecycle/predecessor_policy.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct ListArgs {
  std::string tenant, status, format = "table";
  long expiring_within = -1;
  bool without_successor = false;
};

void run_list(const ListArgs& a, Context& ctx) {
  CertificateFilter f;
  f.now = ctx.clock().now();
  if (!a.tenant.empty()) f.tenant_id = a.tenant;
  if (!a.status.empty()) {
    f.status = parse_cert_status(a.status);
    if (!f.status)
      throw Error(ErrorCode::InvalidArgument, "--status: '" + a.status + "' is not one of " + std::string(cert_status_choices()));
  }
  if (a.expiring_within >= 0) f.expiring_before = f.now + std::chrono::days(a.expiring_within);
  if (f.tenant_id && !ctx.store().tenants().find(*f.tenant_id))
    throw Error(ErrorCode::NotFound, "unknown tenant '" + *f.tenant_id + "'");
  service::apply_predecessor_policy(ctx.store(), ctx.clock());  // statuses as of now
  auto certs = ctx.store().certificates().list(f);
  // An expired certificate that was reissued needs nothing more: this leaves only those that do.
  if (a.without_successor) std::erase_if(certs, [](const CertificateRecord& c) { return c.successor.has_value(); });

  if (a.format == "json") {
    auto arr = nlohmann::json::array();
    for (const auto& c : certs) arr.push_back(certificate_json(c, f.now));
    std::cout << arr.dump(2) << "\n";
    return;
  }
  // The table is read by people: the installation's zone. CSV keeps UTC dates for spreadsheets.
  auto when = [&](Timestamp t) { return a.format == "csv" ? format_date(t) : ctx.local_time(t); };
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : certs) {
    rows.push_back({c.serial.hex(), c.tenant_id, c.cn, std::string(to_string(c.kind)),
                    std::string(to_string(c.status_at(f.now))), when(c.not_before), when(c.not_after),
                    std::to_string(std::max(0L, days_between(f.now, c.not_after)))});
    rows.back().push_back(c.successor ? c.successor->hex() : "-");  // renewed or reissued as
  }
  std::vector<std::string> header{"SERIAL", "TENANT", "CN", "KIND", "STATUS", "NOT_BEFORE", "NOT_AFTER", "DAYS_LEFT"};
  header.push_back("SUCCESSOR");
  if (a.format == "csv") {
    for (auto& h : header) for (auto& ch : h) ch = static_cast<char>(std::tolower(ch));
    print_csv(std::cout, header, rows);
  } else {
    print_table(std::cout, header, rows);
  }
}

}  // namespace

void add_list(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ListArgs>();
  auto* cmd = app.add_subcommand("list", "List certificates");
  cmd->footer("A certificate past its notAfter lists as expired, whatever was stored. SUCCESSOR is the\n"
              "serial it was renewed or reissued as ('-': none yet).\n"
              "Examples:\n"
              "  inkan list --tenant acme --expiring-within 90 --format csv\n"
              "  inkan list --status expired --without-successor   # what `batch reissue --expired` would take");
  cmd->add_option("--tenant", a->tenant, "Only this tenant");
  cmd->add_option("--status", a->status, "active|superseded|expired|revoked");
  cmd->add_option("--expiring-within", a->expiring_within, "Only certificates expiring within DAYS (not yet expired)")
      ->type_name("DAYS")->check(CLI::Range(0L, 36500L));
  cmd->add_flag("--without-successor", a->without_successor,
                "Only certificates not yet renewed or reissued (an expired one listed here still needs reissuing)");
  cmd->add_option("--format", a->format, "table|json|csv")->check(CLI::IsMember({"table", "json", "csv"}))->capture_default_str();
  cmd->callback([a, &ctx] { run_list(*a, ctx); });
}

}  // namespace inkan::cli
