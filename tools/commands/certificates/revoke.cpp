// inkan revoke: revoke a certificate with an RFC 5280 reason, named by serial, by the serial
// prefix of its file name, or by tenant and CN; confirmed on a terminal; a wrong reason can be
// corrected afterwards (issue 16 item 5).
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ca/domain/error.hpp"
#include "ca/service/lifecycle/certificate_lookup.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "cli/confirm.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct RevokeArgs {
  std::string serial, reason, format = "text", tenant, cn;
  bool lineage = false, yes = false, correct = false;
};

constexpr const char* kReasonHint =
    "choose one with --reason: keyCompromise (the key or the PC was lost or stolen), affiliationChanged "
    "(the holder left the facility), cessationOfOperation (the terminal was retired), superseded, or unspecified";

RevocationReason reason_of(const RevokeArgs& a) {
  if (a.reason.empty()) throw Error(ErrorCode::InvalidArgument, std::string("no revocation reason: ") + kReasonHint);
  auto reason = parse_revocation_reason(a.reason);
  if (reason == RevocationReason::RemoveFromCrl) reason.reset();  // only for delta CRLs, which inkan does not publish
  if (!reason)
    throw Error(ErrorCode::InvalidArgument,
                "--reason: '" + a.reason + "' is not one of " + std::string(revocation_reason_choices()));
  return *reason;
}

Serial target_of(const RevokeArgs& a, Store& store) {
  if (!a.serial.empty()) {
    if (!a.tenant.empty() || !a.cn.empty())
      throw Error(ErrorCode::InvalidArgument, "name the certificate by SERIAL or by --tenant and --cn, not both");
    return service::resolve_serial(store, a.serial);
  }
  if (a.tenant.empty() || a.cn.empty())
    throw Error(ErrorCode::InvalidArgument, "name the certificate: SERIAL (or its first 8 digits), or --tenant ID --cn NAME");
  return service::resolve_by_name(store, a.tenant, a.cn, a.lineage);
}

// Revocation cannot be undone: on a terminal the operator sees what goes and confirms.
std::string question_of(const RevokeArgs& a, const CertificateRecord& rec, RevocationReason reason, Context& ctx) {
  std::ostringstream q;
  q << (a.correct ? "Correct the revocation reason of " : "Revoke ") << rec.serial.hex() << " (" << rec.cn
    << ", tenant " << rec.tenant_id << ", valid until " << ctx.local_time(rec.not_after) << ")"
    << (a.lineage ? " and every predecessor and successor" : "") << (a.correct ? " to " : " for ")
    << to_string(reason) << "?" << (a.correct ? "" : " This cannot be undone.");
  return q.str();
}

void run_revoke(const RevokeArgs& a, Context& ctx) {
  const auto reason = reason_of(a);
  const auto serial = target_of(a, ctx.store());
  auto rec = ctx.store().certificates().find(serial);
  if (!rec) throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
  require_confirmation(question_of(a, *rec, reason, ctx), a.yes);
  service::Revocation revocation(ctx.store(), ctx.clock(), ctx.actor());
  std::vector<CertificateRecord> changed;
  if (a.correct)
    changed.push_back(revocation.correct_reason(serial, reason));
  else if (a.lineage)
    changed = revocation.revoke_lineage(serial, reason);
  else
    changed.push_back(revocation.revoke(serial, reason));
  if (a.format == "json") {
    auto out = nlohmann::json::array();
    for (const auto& r : changed) out.push_back(certificate_json(r, ctx.clock().now()));
    std::cout << out.dump(2) << "\n";
    return;
  }
  for (const auto& r : changed)
    std::cout << (a.correct ? "Corrected " : "Revoked ") << r.serial.hex() << " (" << r.cn << ", tenant " << r.tenant_id
              << "), reason " << to_string(reason) << "\n";
}

}  // namespace

void add_revoke(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<RevokeArgs>();
  auto* cmd = app.add_subcommand("revoke", "Revoke a certificate (or correct a revocation's reason)");
  cmd->footer("Reasons (RFC 5280): " + std::string(revocation_reason_choices()) +
              "\nOn a terminal you are asked to type yes (--yes skips it). Publish the change with `inkan crl`.\n"
              "Examples:\n"
              "  inkan revoke 55C9613F --reason keyCompromise            the prefix in acme_pc1_55C9613F.p12\n"
              "  inkan revoke --tenant acme --cn pc1 --reason affiliationChanged --lineage\n"
              "  inkan revoke 55C9613F --reason keyCompromise --correct-reason   it was revoked as unspecified");
  cmd->add_option("serial", a->serial, "Serial, or at least its first 8 digits");
  cmd->add_option("--reason", a->reason, "RFC 5280 reason (required)");
  cmd->add_option("--tenant", a->tenant, "With --cn: the certificate of that name in this tenant")->type_name("ID");
  cmd->add_option("--cn", a->cn, "With --tenant: the certificate's CN")->type_name("NAME");
  cmd->add_flag("--lineage", a->lineage,
                "Revoke the whole lineage: every predecessor and successor of SERIAL not yet revoked "
                "(for keyCompromise, so no superseded certificate of the holder stays valid)");
  auto* correct = cmd->add_flag("--correct-reason", a->correct,
                                "SERIAL is revoked already: change its reason (the revocation date stays)");
  correct->excludes("--lineage");
  cmd->add_flag("-y,--yes", a->yes, "Do not ask for confirmation on a terminal");
  cmd->add_option("--format", a->format, "text|json (json: an array of the certificates changed, as `inkan list`)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([a, &ctx] { run_revoke(*a, ctx); });
}

}  // namespace inkan::cli
