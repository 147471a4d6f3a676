// inkan issue: generate a key, sign a client certificate, deliver it as PKCS#12.
#include <CLI/CLI.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/lifecycle/active_names.hpp"
#include "cli/active_names_text.hpp"
#include "cli/context.hpp"
#include "cli/deliver.hpp"
#include "cli/files.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct IssueArgs {
  std::string tenant, cn, out, kind = "terminal", key = "rsa-2048", validity, not_before, email, admin;
  std::string profile = "compat", format = "text";
  bool allow_duplicate = false;
};

// A second certificate for a name that holds a working one is almost always a mistake (the
// terminal needed `renew` or `reissue`): refused unless asked for.
void refuse_duplicate(const IssueArgs& a, Context& ctx) {
  service::ActiveNames names(ctx.store(), ctx.clock().now());
  const auto& held = names.of(a.tenant, a.cn);
  if (held.empty()) return;
  throw Error(ErrorCode::AlreadyExists,
              a.tenant + "/" + a.cn + " already holds an active certificate; nothing was issued:\n" +
                  describe_active_certificates(held, 5, ctx.time_zone()) +
                  "Renew it (`inkan renew SERIAL`, inside its renewal window), `inkan reissue SERIAL` for a new\n"
                  "key now, or pass --allow-duplicate to issue a second certificate for the same name.");
}

void run_issue(const IssueArgs& a, Context& ctx) {
  service::IssueRequest req;
  req.tenant_id = a.tenant;
  req.common_name = a.cn;
  req.kind = parse_kind_option(a.kind);
  req.key_type = parse_key_option("--key", a.key);
  req.validity = parse_validity_option(a.validity);
  req.not_before = parse_not_before_option(a.not_before);
  if (!a.email.empty()) req.email = a.email;
  if (!a.admin.empty()) req.admin_username = a.admin;
  req.p12_profile = parse_profile_option(a.profile);

  if (!a.allow_duplicate) refuse_duplicate(a, ctx);
  ensure_private_output_dir(a.out);  // before anything is reserved
  service::Issuer issuer(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
  auto cred = issuer.issue(req);
  deliver_credential(a.out, cred, parse_report_format(a.format), ctx.time_zone());
}

}  // namespace

void add_issue(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<IssueArgs>();
  auto* cmd = app.add_subcommand("issue", "Issue a client certificate with a new key, as PKCS#12");
  cmd->footer(
      "Writes DIR/<tenant>_<cn>_<serial>.p12 and .password.txt (both 0600) and prints the serial.\n"
      "A name (tenant and CN) that already holds an active certificate is refused: renew or reissue\n"
      "that certificate instead, or pass --allow-duplicate.\n"
      "Validity is 3 calendar years from --not-before (default: now). Backdate with --not-before to\n"
      "make certificates that are about to expire or already expired, for testing.\n"
      "A tenant-admin or operator certificate logs in to the management site only the account\n"
      "named with --admin (an operator certificate needs one; the operator's own tenant, e.g. one\n"
      "made for operators, holds it, and no tenant administrator can see it).\n"
      "Examples:\n"
      "  inkan issue --tenant acme --cn client300 --out ./out --format json\n"
      "  inkan issue --tenant acme --cn alice --kind tenant-admin --admin alice --out ./out\n"
      "  inkan issue --tenant ops --cn root-op --kind operator --admin root-op --out ./out");
  cmd->add_option("--tenant", a->tenant, "Tenant id")->required();
  cmd->add_option("--cn", a->cn, "Common name, e.g. the terminal's name")->required();
  cmd->add_option("--out", a->out, "Output directory (created if missing)")->required()->type_name("DIR");
  cmd->add_option("--kind", a->kind, "terminal|tenant-admin|operator")->capture_default_str();
  cmd->add_option("--admin", a->admin,
                  "The administrator account a tenant-admin or operator certificate logs in (required for operator)")
      ->type_name("USERNAME");
  cmd->add_option("--key", a->key, "rsa-2048|rsa-3072|ec-p256 (also rsa-4096|ec-p384)")->capture_default_str();
  cmd->add_option("--validity", a->validity, "Lifetime such as 3y, 18m, 90d (default 3y)");
  cmd->add_option("--not-before", a->not_before, "Start of validity, YYYY-MM-DD (default: now)");
  cmd->add_option("--email", a->email, "Add an email address to the subject alternative name");
  cmd->add_option("--p12-profile", a->profile,
                  "compat (3DES/SHA-1: every client) or modern (AES-256/SHA-256: Windows 10 1709+, "
                  "not macOS/iOS/Android)")
      ->capture_default_str();
  cmd->add_option("--format", a->format, "text|json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_flag("--allow-duplicate", a->allow_duplicate,
                "Issue even when the name already holds an active certificate (a second terminal of one name)");
  cmd->callback([a, &ctx] { run_issue(*a, ctx); });
}

}  // namespace inkan::cli
