#pragma once
// The SQLite implementation of the store. SQLiteCpp stays out of this header on purpose: callers
// see only the repository interfaces of ca/store/store.hpp.
#include <filesystem>
#include <memory>
#include <string>

#include "ca/store/store.hpp"

namespace inkan {

// Opens the database file, creating it with mode 0600 when absent, and applies the pending
// migrations of schemas/sql. A database whose schema is newer than this program's is refused
// with Error(Store) before anything opens it for writing: the file stays byte-identical.
// One connection per returned Store: do not share it across threads.
// Throws Error(Io) when the file cannot be created, Error(Store) when SQLite refuses it.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& db_file);

// Reads a database file without changing it (read-only, no migration), e.g. a snapshot or a
// database taken out of a backup. PRAGMA integrity_check and foreign_key_check must pass and
// the schema version must be one this inkan knows. Throws Error(Integrity) naming the problem,
// Error(InvalidState) when a newer inkan wrote the file.
StoreSummary inspect_database_file(const std::filesystem::path& db_file);

// The schema version a database file records (0: absent, empty or never migrated) and the newest
// one this program knows (its newest embedded migration).
struct SchemaVersions {
  int database = 0;
  int program = 0;
};

// Reads the schema version of DB_FILE without writing anything: no lock, no migration, and no
// -wal or -shm file left behind when none was there. Throws Error(Store) when it is not a
// SQLite database.
SchemaVersions read_schema_versions(const std::filesystem::path& db_file);

// A consistent copy of the database file DB_FILE at TARGET (which must not exist; created 0600,
// rollback-journal mode, self-contained), taken with SQLite's online backup API like
// Store::snapshot_to, without applying migrations: the backup written before an upgrade's.
void snapshot_database_file(const std::filesystem::path& db_file, const std::filesystem::path& target,
                            const SnapshotProgress& progress = {});

// The version of the SQLite library loaded at run time, e.g. "3.40.1" (`inkan --version`).
std::string sqlite_runtime_version();

}  // namespace inkan
