// inkan audit: read the hash-chained audit log (filters, pages, table/json/csv), print its head,
// and prove that a head written down earlier is still in the log unchanged.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/domain/local_time.hpp"
#include "ca/service/audit/audit_reader.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct AuditArgs {
  std::string since, until, tenant, serial, actor, action, format = "table";
  std::int64_t before = 0;
  std::size_t limit = 100;
  std::string head;
};

std::optional<std::string> given(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

// A bare date is the start of that day in the installation's time zone (`inkan settings set
// --time-zone`), the zone the human output prints.
std::optional<Timestamp> time_option(const std::string& option, const std::string& text, const TimeZone& zone) {
  if (text.empty()) return std::nullopt;
  try {
    return parse_local_date_or_time(text, zone, DayEdge::Start);
  } catch (const Error&) {
    throw Error(ErrorCode::InvalidArgument,
                option + " takes YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not '" + text + "'");
  }
}

nlohmann::json entry_json(const AuditEvent& e) {
  return {{"seq", e.seq},
          {"at", format_rfc3339(e.at)},
          {"actor", e.actor},
          {"action", e.action},
          {"object", e.object},
          {"tenant", e.tenant_id ? nlohmann::json(*e.tenant_id) : nlohmann::json(nullptr)},
          {"result", std::string(service::audit_result(e.action))},
          {"detail", e.detail}};
}

void print_page(const service::AuditPage& page, const std::string& format, const TimeZone& zone) {
  if (format == "json") {
    auto entries = nlohmann::json::array();
    for (const auto& e : page.entries) entries.push_back(entry_json(e));
    nlohmann::json out{{"entries", entries},
                       {"next_before", page.next_before ? nlohmann::json(*page.next_before) : nlohmann::json(nullptr)}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : page.entries)
    rows.push_back({std::to_string(e.seq),
                    // the table is for people (the installation's zone); CSV keeps RFC 3339 UTC
                    format == "csv" ? format_rfc3339(e.at)
                                    : format_local(e.at, zone, TimeNotation::English, TimeStyle::Second), e.actor, e.action, e.object,
                    e.tenant_id.value_or("-"), std::string(service::audit_result(e.action)), e.detail});
  const std::vector<std::string> header{"SEQ", "TIME", "ACTOR", "ACTION", "OBJECT", "TENANT", "RESULT", "DETAIL"};
  if (format == "csv")
    print_csv(std::cout, header, rows);
  else
    print_table(std::cout, header, rows);
  // stderr, so the table or CSV on stdout stays one clean page.
  if (page.next_before)
    std::cerr << "more entries: add --before " << *page.next_before << " for the next page\n";
}

}  // namespace

void add_audit(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand(
      "audit",
      "Read the audit log, newest first: who did what, to which object, when (no secrets are ever in it)");
  cmd->add_option("--since", a->since, "Entries at or after this time: YYYY-MM-DD (the start of that day in the installation's time zone) or YYYY-MM-DDThh:mm:ssZ")->type_name("TIME");
  cmd->add_option("--until", a->until, "Entries before this time (the same forms: --until 2027-01-07 ends with 2027-01-06)")->type_name("TIME");
  cmd->add_option("--tenant", a->tenant, "Entries about this tenant's certificates, administrators and settings")->type_name("ID");
  cmd->add_option("--serial", a->serial, "Entries about this certificate (issue, download, reveal, renewal, revocation)")->type_name("SERIAL");
  cmd->add_option("--actor", a->actor, "Entries by this actor, exactly as shown (cli:root, admin:hanako, portal:<serial>)");
  cmd->add_option("--action", a->action, "Entries of this action, exactly as shown (password.reveal, cert.download, cert.renew, ...)");
  cmd->add_option("--limit", a->limit, "Entries per page (1-1000)")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--before", a->before, "The next page: entries older than this sequence number (printed at the end of a page)")
      ->type_name("SEQ")->check(CLI::PositiveNumber);
  cmd->add_option("--format", a->format, "table|json|csv")->check(CLI::IsMember({"table", "json", "csv"}))->capture_default_str();

  auto* head = cmd->add_subcommand("head", "Print the newest entry as SEQ:HASH, to write down or keep elsewhere");
  auto* verify = cmd->add_subcommand(
      "verify", "Recompute the whole chain; with --head, prove that entry SEQ still has HASH (exit 11 if not)");
  verify->add_option("--head", a->head, "SEQ:HASH as `inkan audit head` printed it")->type_name("SEQ:HASH");
  cmd->require_subcommand(0, 1);

  head->callback([&ctx] {
    service::AuditReader reader(ctx.store(), service::TenantScope::cli(ctx.actor()));
    auto h = reader.head();
    if (!h) throw Error(ErrorCode::NotFound, "the audit log is empty");
    std::cout << service::format_audit_head(*h) << "\n";
  });

  verify->callback([a, &ctx] {
    service::AuditReader reader(ctx.store(), service::TenantScope::cli(ctx.actor()));
    if (a->head.empty()) {
      auto v = ctx.store().audit().verify();
      if (!v.ok) throw Error(ErrorCode::Integrity, "audit chain broken: " + v.problem);
      std::cout << "ok  audit: hash chain intact over " << v.entries << " entries\n";
      return;
    }
    const auto expected = service::parse_audit_head(a->head);
    const auto check = reader.verify_head(expected);
    if (!check.ok) throw Error(ErrorCode::Integrity, "head " + service::format_audit_head(expected) + " does not verify: " + check.problem);
    std::cout << "ok  audit: entry " << expected.seq << " still has the hash written down; chain intact over "
              << check.chain.entries << " entries\n";
  });

  cmd->callback([a, cmd, &ctx] {
    if (!cmd->get_subcommands().empty()) return;  // head / verify ran
    service::AuditFilter f;
    f.since = time_option("--since", a->since, ctx.time_zone());
    f.until = time_option("--until", a->until, ctx.time_zone());
    f.tenant_id = given(a->tenant);
    if (!a->serial.empty()) f.serial = Serial::parse(a->serial);
    f.actor = given(a->actor);
    f.action = given(a->action);
    if (a->before > 0) f.before_seq = a->before;
    f.limit = a->limit;
    service::AuditReader reader(ctx.store(), service::TenantScope::cli(ctx.actor()));
    print_page(reader.page(f), a->format, ctx.time_zone());
  });
}

}  // namespace inkan::cli
