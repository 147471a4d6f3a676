// inkan tenant add|set|retire|reinstate|list
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/tenants.hpp"
#include "cli/confirm.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_tenant(CLI::App& app, Context& ctx) {
  auto* tenant = app.add_subcommand("tenant", "Manage tenants (the facilities certificates belong to)");
  tenant->require_subcommand(1);

  struct AddArgs { std::string id, name; };
  auto add = std::make_shared<AddArgs>();
  auto* add_cmd = tenant->add_subcommand("add", "Add a tenant");
  add_cmd->add_option("id", add->id, "Tenant id: lowercase letters, digits, '-' and '_'")->required();
  add_cmd->add_option("--name", add->name, "Display name; becomes O= in its certificates")->required();
  add_cmd->footer("Example: inkan tenant add acme --name \"Acme Care Center\"");
  add_cmd->callback([add, &ctx] {
    service::Tenants tenants(ctx.sealed_store(), ctx.clock(), ctx.actor());
    auto t = tenants.add(add->id, add->name);
    std::cout << "Added tenant " << t.id << " (" << t.name << ")\n";
  });

  struct SetArgs { std::string id, window, revoke_after, name; };
  auto set = std::make_shared<SetArgs>();
  auto* set_cmd = tenant->add_subcommand("set", "Change a tenant's name or renewal policy");
  set_cmd->add_option("id", set->id, "Tenant id")->required();
  set_cmd->add_option("--name", set->name,
                      "New display name: the O= of certificates issued from now on (issued ones keep theirs until "
                      "renewed); the id stays, as file names and URLs carry it");
  set_cmd->add_option("--renewal-window", set->window,
                                         "Days before expiry when renewal opens (1-365), or 'default' (90)");
  set_cmd->add_option(
      "--revoke-predecessor-after", set->revoke_after,
      "Revoke a renewed certificate this many days (0-3650) after its successor was issued, or 'never' (the default: "
      "both stay valid until the old one expires)")->type_name("DAYS|never");
  set_cmd->callback([set, &ctx] {
    // A number of days, or nullopt for the word that means "no override".
    auto days_or = [](const std::string& option, const std::string& text, const std::string& word) -> std::optional<int> {
      if (text == word) return std::nullopt;
      try {
        std::size_t used = 0;
        int days = std::stoi(text, &used);
        if (used != text.size()) throw std::invalid_argument("trailing");
        return days;
      } catch (const std::exception&) {
        throw Error(ErrorCode::InvalidArgument, option + ": '" + text + "' is not a number of days or '" + word + "'");
      }
    };
    if (set->window.empty() && set->revoke_after.empty() && set->name.empty())
      throw Error(ErrorCode::InvalidArgument, "tenant set needs --name, --renewal-window or --revoke-predecessor-after");
    service::Tenants tenants(ctx.sealed_store(), ctx.clock(), ctx.actor());
    if (!set->name.empty()) {
      auto t = tenants.rename(set->id, set->name);
      std::cout << "Tenant " << t.id << " is now named " << t.name << "\n";
    }
    if (!set->window.empty()) {
      auto t = tenants.set_renewal_window(set->id, days_or("--renewal-window", set->window, "default"));
      std::cout << "Tenant " << t.id << ": renewal opens "
                << (t.renewal_window_days ? std::to_string(*t.renewal_window_days) + " days" : std::string("90 days (default)"))
                << " before expiry\n";
    }
    if (!set->revoke_after.empty()) {
      auto t = tenants.set_revoke_predecessor_after(set->id, days_or("--revoke-predecessor-after", set->revoke_after, "never"));
      if (t.revoke_predecessor_after_days)
        std::cout << "Tenant " << t.id << ": a renewed certificate is revoked " << *t.revoke_predecessor_after_days
                  << " days after its successor was issued\n";
      else
        std::cout << "Tenant " << t.id << ": a renewed certificate stays valid until it expires (never revoked)\n";
    }
  });

  struct RetireArgs { std::string id; bool yes = false; };
  auto retire = std::make_shared<RetireArgs>();
  auto* retire_cmd = tenant->add_subcommand("retire", "Retire a tenant that left: nothing more is issued for it");
  retire_cmd->add_option("id", retire->id, "Tenant id")->required();
  retire_cmd->add_flag("-y,--yes", retire->yes, "Do not ask for confirmation on a terminal");
  retire_cmd->footer(
      "From now on no certificate is issued, renewed or reissued for the tenant (CLI, batch, site and\n"
      "portal), and its administrators are disabled. Its certificates, history and audit entries stay;\n"
      "certificates keep working until they expire: revoke those that must stop now, e.g.\n"
      "  inkan list --tenant ID --status active --format json   # then, for each serial:\n"
      "  inkan revoke SERIAL --reason cessationOfOperation --yes\n"
      "`inkan tenant reinstate ID` puts it back in service (its administrators stay disabled until\n"
      "`inkan user enable`).");
  retire_cmd->callback([retire, &ctx] {
    service::Tenants tenants(ctx.sealed_store(), ctx.clock(), ctx.actor());
    const auto t = ctx.store().tenants().find(retire->id);
    if (!t) throw Error(ErrorCode::NotFound, "unknown tenant '" + retire->id + "'");
    require_confirmation("Retire tenant " + t->id + " (" + t->name + ")? Nothing more is issued for it.", retire->yes);
    const auto r = tenants.retire(retire->id);
    std::cout << "Retired tenant " << r.tenant.id << " (" << r.tenant.name << ")";
    if (!r.disabled_admins.empty()) {
      std::cout << "; disabled its administrators:";
      for (const auto& u : r.disabled_admins) std::cout << " " << u;
    }
    std::cout << "\n";
  });

  auto reinstate_id = std::make_shared<std::string>();
  auto* reinstate_cmd = tenant->add_subcommand("reinstate", "Put a retired tenant back in service");
  reinstate_cmd->add_option("id", *reinstate_id, "Tenant id")->required();
  reinstate_cmd->callback([reinstate_id, &ctx] {
    service::Tenants tenants(ctx.sealed_store(), ctx.clock(), ctx.actor());
    const auto t = tenants.reinstate(*reinstate_id);
    std::cout << "Tenant " << t.id << " is back in service; enable its administrators with `inkan user enable`\n";
  });

  auto format = std::make_shared<std::string>("table");
  auto* list_cmd = tenant->add_subcommand("list", "List tenants");
  list_cmd->add_option("--format", *format, "table|json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  list_cmd->callback([format, &ctx] {
    service::Tenants tenants(ctx.store(), ctx.clock(), ctx.actor());
    auto all = tenants.list();
    if (*format == "json") {
      auto arr = nlohmann::json::array();
      for (const auto& t : all)
        arr.push_back({{"id", t.id},
                       {"name", t.name},
                       {"created_at", format_rfc3339(t.created_at)},
                       {"renewal_window_days", t.renewal_window_days ? nlohmann::json(*t.renewal_window_days) : nlohmann::json(nullptr)},
                       {"revoke_predecessor_after_days",
                        t.revoke_predecessor_after_days ? nlohmann::json(*t.revoke_predecessor_after_days) : nlohmann::json(nullptr)},
                       {"retired_at", t.retired_at ? nlohmann::json(format_rfc3339(*t.retired_at)) : nlohmann::json(nullptr)}});
      std::cout << arr.dump(2) << "\n";
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : all)
      rows.push_back({t.id, t.name, ctx.local_time(t.created_at, TimeStyle::Date),
                      t.retired_at ? ctx.local_time(*t.retired_at, TimeStyle::Date) : "-"});
    print_table(std::cout, {"ID", "NAME", "CREATED", "RETIRED"}, rows);
  });
}

}  // namespace inkan::cli
