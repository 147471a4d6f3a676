// inkan store migrate: creates or upgrades the schema of a shared PostgreSQL database (issue 22).
// Explicit on purpose: opening a PostgreSQL store never creates or alters a table, so the nodes'
// role needs no right to, and an upgrade is one deliberate step taken once for every node.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/domain/error.hpp"
#include "ca/service/shared_store.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_store(CLI::App& app, Context& ctx) {
  auto* store = app.add_subcommand("store", "Manage the shared PostgreSQL database of several nodes");
  store->require_subcommand(1);
  auto* migrate = store->add_subcommand("migrate", "Create or upgrade the schema of the PostgreSQL database --db names");
  migrate->footer(
      "Run it once before the first node starts, and once after installing a newer inkan,\n"
      "as a role that may create tables; the nodes' own role then needs only to read and write\n"
      "rows. Nodes refuse a database whose schema is missing, older or newer than theirs.\n"
      "Running it again changes nothing. Two at once are safe: an advisory lock lets one apply\n"
      "each migration. The SQLite store (the default, no --db) migrates itself when opened.\n"
      "The password is never on the command line: libpq reads it from PGPASSFILE or ~/.pgpass.\n"
      "Examples:\n"
      "  inkan store migrate --db 'postgresql:///inkan?host=/run/postgresql'\n"
      "  PGPASSFILE=/etc/inkan/pgpass INKAN_DB='postgresql://inkan_admin@db1.example/inkan' inkan store migrate");
  migrate->callback([&ctx] {
    const std::string uri = ctx.database_uri();
    if (uri.empty())
      throw Error(ErrorCode::InvalidArgument,
                  "inkan store migrate needs a PostgreSQL database: pass --db postgresql://... or set INKAN_DB "
                  "(the default SQLite store migrates itself when opened)");
    std::cerr << "inkan: migrating the schema (waits while another node migrates)...\n";
    const auto m = service::migrate_shared_store(uri);
    if (m.from == m.to)
      std::cout << m.database << " is at schema version " << m.to << ", this inkan's; nothing to do\n";
    else
      std::cout << m.database << ": schema version " << m.from << " -> " << m.to << "\n";
  });
}

}  // namespace inkan::cli
