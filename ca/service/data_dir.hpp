#pragma once
// The data directory: DIR/inkan.db (SQLite, with its WAL) holds everything; keys inside it are
// encrypted. The directory is created 0700 and the database 0600.
//
// Upgrades: a database with an older schema is backed up beside itself (an `inkan backup`
// archive, DIR/inkan.db.pre-migration-vOLD-to-vNEW-<UTC time>.inkanbak, 0600) before the
// migrations run; one with a newer schema is refused and left byte-identical.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "ca/store/store.hpp"

namespace inkan::service {

struct PreMigrationBackup {
  std::filesystem::path file;
  int from_version = 0;
  int to_version = 0;
};

struct OpenOptions {
  // Off only where the database being opened is itself a restored backup (restore).
  bool backup_before_migration = true;
  // Told about the backup before the migration runs: the CLI prints it (a service's stderr is
  // its journal).
  std::function<void(const PreMigrationBackup&)> on_backup;
  // A shared PostgreSQL database (--db / INKAN_DB, a libpq URI) instead of DIR/inkan.db: several
  // nodes then serve one installation, and the directory holds only this node's local files (no
  // inkan.db is created). Empty: the SQLite default. Its schema is migrated only by `inkan store
  // migrate` (ca/service/shared_store.hpp), never here.
  std::string database_uri;
};

std::filesystem::path database_path(const std::filesystem::path& dir);
// Creates the directory if needed (for `init`).
std::unique_ptr<Store> open_or_create_data_dir(const std::filesystem::path& dir, const OpenOptions& options = {});
// Throws Error(InvalidState) naming the directory when it holds no inkan database, or when its
// schema is newer than this inkan's (the file is then left as it was).
std::unique_ptr<Store> open_data_dir(const std::filesystem::path& dir, const OpenOptions& options = {});

// The newest pre-migration backup in DIR (by modification time), if any: `doctor` names it.
std::optional<std::filesystem::path> newest_pre_migration_backup(const std::filesystem::path& dir);

}  // namespace inkan::service
