// inkan show: one certificate, with lineage and revocation details.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/lifecycle/predecessor_policy.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_show(CLI::App& app, Context& ctx) {
  struct ShowArgs { std::string serial, format = "text"; };
  auto a = std::make_shared<ShowArgs>();
  auto* cmd = app.add_subcommand("show", "Show one certificate");
  cmd->add_option("serial", a->serial, "Serial, hex in any case, colons allowed")->required();
  cmd->add_option("--format", a->format, "text|json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->callback([a, &ctx] {
    auto serial = Serial::parse(a->serial);
    service::apply_predecessor_policy(ctx.store(), ctx.clock());  // statuses as of now
    auto rec = ctx.store().certificates().find(serial);
    if (!rec || rec->state == CertState::Reserved)
      throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
    auto j = certificate_json(*rec, ctx.clock().now());
    if (a->format == "json") {
      std::cout << j.dump(2) << "\n";
      return;
    }
    // Text is for people: the times in the installation's zone (JSON keeps RFC 3339 UTC).
    const std::map<std::string, std::optional<Timestamp>> times{
        {"not_before", rec->not_before}, {"not_after", rec->not_after}, {"requested_at", rec->requested_at},
        {"issued_at", rec->issued_at},   {"revoked_at", rec->revoked_at}};
    for (auto& [k, v] : j.items()) {
      auto t = times.find(k);
      if (t != times.end() && t->second)
        std::cout << k << ": " << ctx.local_time(*t->second, TimeStyle::Second) << "\n";
      else
        std::cout << k << ": " << (v.is_string() ? v.get<std::string>() : v.dump()) << "\n";
    }
  });
}

}  // namespace inkan::cli
