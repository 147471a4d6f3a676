// inkan settings: installation-wide settings that are not the CA's. For now the time zone of the
// screens and the CLI's human output (issue 16, item 8).
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/display_time_zone.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_settings(CLI::App& app, Context& ctx) {
  auto* settings = app.add_subcommand("settings", "Show or change installation settings (the time zone times are shown in)");
  settings->require_subcommand(1);

  auto format = std::make_shared<std::string>("text");
  auto* show = settings->add_subcommand("show", "Show the settings");
  show->add_option("--format", *format, "text|json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  show->callback([format, &ctx] {
    const auto configured = service::configured_time_zone(ctx.store());
    const auto now = ctx.clock().now();
    if (*format == "json") {
      std::cout << nlohmann::json{{"time_zone", configured ? nlohmann::json(*configured) : nlohmann::json(nullptr)},
                                  {"system_time_zone", TimeZone::system_name()},
                                  {"now", format_rfc3339(now)}}
                       .dump(2)
                << "\n";
      return;
    }
    const std::string system = TimeZone::system_name();
    std::cout << "time zone: "
              << (configured ? *configured : "the system's (" + (system.empty() ? std::string("unknown") : system) + ")")
              << "\nnow:       " << ctx.local_time(now, TimeStyle::Second) << "\n";
  });

  struct SetArgs { std::string zone; bool system = false; };
  auto a = std::make_shared<SetArgs>();
  auto* set = settings->add_subcommand("set", "Change a setting");
  set->footer("Screens (management site, portal) and the CLI's tables and messages show times in this zone;\n"
              "JSON output and the API stay RFC 3339 UTC. A running `inkan serve` reads it at start:\n"
              "restart it after a change. Examples:\n"
              "  inkan settings set --time-zone Asia/Tokyo\n"
              "  inkan settings set --system-time-zone      (follow $TZ or /etc/localtime again)");
  auto* zone = set->add_option("--time-zone", a->zone, "A tz database name: Asia/Tokyo, Europe/Berlin, UTC")
                   ->type_name("ZONE");
  auto* system = set->add_flag("--system-time-zone", a->system, "Use the system's zone ($TZ, else /etc/localtime)");
  zone->excludes(system);
  set->callback([a, zone, system, &ctx] {
    if (!zone->count() && !system->count())
      throw Error(ErrorCode::InvalidArgument,
                  "inkan settings set needs --time-zone ZONE or --system-time-zone (see inkan settings set --help)");
    std::optional<std::string> value;
    if (!a->system) value = a->zone;
    service::set_display_time_zone(ctx.sealed_store(), ctx.clock(), ctx.actor(), value);
    const auto shown = value ? TimeZone::named(*value) : TimeZone::system();
    std::cout << "Times are shown in " << (value ? *value : "the system's time zone") << " (now "
              << format_local(ctx.clock().now(), shown, TimeNotation::English, TimeStyle::Minute)
              << "). Restart a running inkan serve to apply it.\n";
  });
}

}  // namespace inkan::cli
