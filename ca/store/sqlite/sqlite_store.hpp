#pragma once
// The SQLite implementation of the store. SQLiteCpp stays out of this header on purpose: callers
// see only the repository interfaces of ca/store/store.hpp.
#include <filesystem>
#include <memory>

#include "ca/store/store.hpp"

namespace inkan {

// Opens the database file, creating it with mode 0600 when absent, and applies the pending
// migrations of schemas/sql. One connection per returned Store: do not share it across threads.
// Throws Error(Io) when the file cannot be created, Error(Store) when SQLite refuses it.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& db_file);

// Reads a database file without changing it (read-only, no migration), e.g. a snapshot or a
// database taken out of a backup. PRAGMA integrity_check and foreign_key_check must pass and
// the schema version must be one this inkan knows. Throws Error(Integrity) naming the problem,
// Error(InvalidState) when a newer inkan wrote the file.
StoreSummary inspect_database_file(const std::filesystem::path& db_file);

}  // namespace inkan
