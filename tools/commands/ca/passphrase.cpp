// inkan passphrase change: a new operator passphrase for the data directory (issue 18).
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/service/keys/passphrase_change.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_passphrase(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("passphrase", "Change the operator passphrase");
  cmd->require_subcommand(1);
  auto new_file = std::make_shared<std::string>();
  auto* change = cmd->add_subcommand("change", "Re-wrap the data key and re-encrypt every key held here under a new passphrase");
  change->add_option("--new-passphrase-file", *new_file,
                     "File whose first line is the new passphrase (default: asked twice on the terminal)")
      ->type_name("FILE");
  change->footer(
      "The current passphrase comes from --passphrase-file, INKAN_PASSPHRASE_FILE or the terminal.\n"
      "Everything changes in one transaction: if the command is interrupted, the old passphrase\n"
      "still works and the new one does not. A running `inkan serve` keeps serving with the keys it\n"
      "has unlocked; restart it with the new passphrase. Backups keep the passphrase they were\n"
      "taken under. An offline root file is separate: `inkan root passphrase`.");
  change->callback([new_file, &ctx] {
    auto& keyring = ctx.keyring();  // the current passphrase, checked first
    auto replacement = ctx.replacement_passphrase(*new_file);
    auto r = service::change_passphrase(ctx.store(), keyring, replacement.view(), ctx.rng(), ctx.clock(), ctx.actor());
    std::cout << "Changed the passphrase: data key re-wrapped, " << r.ca_keys << " CA key"
              << (r.ca_keys == 1 ? "" : "s") << (r.pending_key ? ", the pending CA key" : "")
              << (r.server_key ? ", the server key" : "") << " re-encrypted.\n"
              << "The old passphrase no longer opens this data directory; backups taken before keep it.\n";
  });
}

}  // namespace inkan::cli
