// inkan restore: verify a backup completely, then make it a new data directory.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/service/backup/backup.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct RestoreArgs {
  std::string backup;
  std::string new_dir;
  bool accept_unauthenticated = false;
};

void run_restore(const RestoreArgs& a, Context& ctx) {
  service::RestoreOptions options;
  // Always needed: it authenticates the backup (manifest.mac) and proves it unlocks the store.
  if (auto configured = ctx.configured_passphrase()) options.passphrase = std::move(*configured);
  else if (!a.accept_unauthenticated) options.passphrase = std::string(ctx.passphrase().view());
  options.accept_unauthenticated = a.accept_unauthenticated;
  const auto r = service::restore_backup(a.backup, a.new_dir, options, ctx.clock(), ctx.actor());
  const auto& c = r.manifest.content;
  std::cout << "restored " << a.backup << " into " << a.new_dir << "\n"
            << "  backup created " << format_rfc3339(r.manifest.created_at) << " by inkan "
            << r.manifest.inkan_version << ", schema " << c.schema_version << "\n"
            << "  verified: checksums, integrity check, audit chain, " << c.certificates << " certificates, "
            << c.tenants << " tenants, " << c.cas << " CAs, " << c.audit_entries << " audit entries\n";
  if (r.passphrase_checked) std::cout << "  passphrase: unlocks the restored store\n";
  else std::cout << "  passphrase: not checked\n";
  if (r.authenticated)
    std::cout << "  authenticated: manifest.mac verified under the store's data key (made by someone holding the "
                 "passphrase, unaltered since)\n";
  else
    std::cout << "  authenticated: NO (a backup without manifest.mac, accepted with --accept-unauthenticated)\n";
  std::cout << "  the restored store opens with the passphrase in use when the backup was taken, even if it\n"
               "  was changed since (inkan passphrase change)\n"
            << "Next: inkan --dir " << a.new_dir << " doctor\n";
}

}  // namespace

void add_restore(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<RestoreArgs>();
  auto* cmd = app.add_subcommand("restore", "Verify a backup and restore it into a new data directory");
  cmd->footer("Nothing is written until the whole backup has been verified. NEWDIR must not exist or\n"
              "must be empty. The passphrase (file, variable or prompt) is required: it unlocks the\n"
              "backed-up store and verifies manifest.mac, so an edited backup is refused.\n"
              "Example: sudo -u inkan inkan restore inkan.inkanbak --dir /var/lib/inkan-restored  (asks for the passphrase)");
  cmd->add_option("backup", a->backup, "The backup file")->required()->type_name("FILE");
  // Shadows the global --dir on purpose: restore creates a directory instead of opening one.
  cmd->add_option("--dir", a->new_dir, "The new data directory (absent or empty)")->required()->type_name("NEWDIR");
  cmd->add_flag("--accept-unauthenticated", a->accept_unauthenticated,
                "Restore a backup that has no manifest.mac (made before inkan checked it); only for a file you trust");
  cmd->callback([a, &ctx] { run_restore(*a, ctx); });
}

}  // namespace inkan::cli
