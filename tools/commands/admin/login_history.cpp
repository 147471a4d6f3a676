// inkan login-history: the management site's login attempts (ログイン履歴), newest first.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/service/admin/admin_queries.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_login_history(CLI::App& app, Context& ctx) {
  struct Args {
    std::string tenant, format = "table";
    std::size_t limit = 100;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("login-history", "Show login attempts to the management site, newest first");
  cmd->add_option("--tenant", args->tenant, "Only attempts on this tenant's administrators")->type_name("ID");
  cmd->add_option("--limit", args->limit, "At most this many rows (1-1000)")->check(CLI::Range(1, 1000))->capture_default_str();
  cmd->add_option("--format", args->format, "table|json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  cmd->callback([args, &ctx] {
    std::optional<std::string> tenant;
    if (!args->tenant.empty()) tenant = args->tenant;
    service::AdminQueries queries(ctx.store(), ctx.clock(), service::TenantScope::cli(ctx.actor()));
    const auto page = queries.login_history(tenant, args->limit, 0);
    auto optional_text = [](const std::optional<std::string>& s) {
      return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
    };
    if (args->format == "json") {
      auto arr = nlohmann::json::array();
      for (const auto& a : page.rows)
        arr.push_back({{"at", format_rfc3339(a.at)},
                       {"username", a.username},
                       {"tenant", optional_text(a.tenant_id)},
                       {"address", a.address},
                       {"cert_serial", a.cert_serial ? nlohmann::json(a.cert_serial->hex()) : nlohmann::json(nullptr)},
                       {"result", std::string(to_string(a.result))}});
      std::cout << arr.dump(2) << "\n";
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : page.rows)
      rows.push_back({ctx.local_time(a.at, TimeStyle::Second), a.username, a.tenant_id.value_or("-"), a.address,
                      a.cert_serial ? a.cert_serial->hex() : "-", std::string(to_string(a.result))});
    print_table(std::cout, {"TIME", "USERNAME", "TENANT", "ADDRESS", "CERTIFICATE", "RESULT"}, rows);
  });
}

}  // namespace inkan::cli
