// inkan tenant add|list
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/tenants.hpp"
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

  struct SetArgs { std::string id, window, revoke_after; };
  auto set = std::make_shared<SetArgs>();
  auto* set_cmd = tenant->add_subcommand("set", "Change a tenant's renewal policy");
  set_cmd->add_option("id", set->id, "Tenant id")->required();
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
    if (set->window.empty() && set->revoke_after.empty())
      throw Error(ErrorCode::InvalidArgument, "tenant set needs --renewal-window or --revoke-predecessor-after");
    service::Tenants tenants(ctx.sealed_store(), ctx.clock(), ctx.actor());
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
                        t.revoke_predecessor_after_days ? nlohmann::json(*t.revoke_predecessor_after_days) : nlohmann::json(nullptr)}});
      std::cout << arr.dump(2) << "\n";
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : all) rows.push_back({t.id, t.name, ctx.local_time(t.created_at, TimeStyle::Date)});
    print_table(std::cout, {"ID", "NAME", "CREATED"}, rows);
  });
}

}  // namespace inkan::cli
