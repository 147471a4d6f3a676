// inkan revoke: revoke a certificate with an RFC 5280 reason.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_revoke(CLI::App& app, Context& ctx) {
  struct RevokeArgs {
    std::string serial, reason = "unspecified", format = "text";
    bool lineage = false;
  };
  auto a = std::make_shared<RevokeArgs>();
  auto* cmd = app.add_subcommand("revoke", "Revoke a certificate");
  cmd->footer("Reasons (RFC 5280): " + std::string(revocation_reason_choices()) +
              "\nPublish the change with `inkan crl`.");
  cmd->add_option("serial", a->serial, "Serial")->required();
  cmd->add_option("--reason", a->reason, "RFC 5280 reason")->capture_default_str();
  cmd->add_flag("--lineage", a->lineage,
                "Revoke the whole lineage: every predecessor and successor of SERIAL not yet revoked "
                "(for keyCompromise, so no superseded certificate of the holder stays valid)");
  cmd->add_option("--format", a->format, "text|json (json: an array of the revoked certificates, as `inkan list`)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([a, &ctx] {
    auto reason = parse_revocation_reason(a->reason);
    // removeFromCRL only means something in delta CRLs, which inkan does not publish.
    if (reason == RevocationReason::RemoveFromCrl) reason.reset();
    if (!reason)
      throw Error(ErrorCode::InvalidArgument,
                  "--reason: '" + a->reason + "' is not one of " + std::string(revocation_reason_choices()));
    service::Revocation revocation(ctx.store(), ctx.clock(), ctx.actor());
    const auto serial = Serial::parse(a->serial);
    const auto revoked = a->lineage ? revocation.revoke_lineage(serial, *reason)
                                    : std::vector<CertificateRecord>{revocation.revoke(serial, *reason)};
    if (a->format == "json") {
      auto out = nlohmann::json::array();
      for (const auto& rec : revoked) out.push_back(certificate_json(rec, ctx.clock().now()));
      std::cout << out.dump(2) << "\n";
      return;
    }
    for (const auto& rec : revoked)
      std::cout << "Revoked " << rec.serial.hex() << " (" << rec.cn << ", tenant " << rec.tenant_id
                << "), reason " << to_string(*reason) << "\n";
  });
}

}  // namespace inkan::cli
