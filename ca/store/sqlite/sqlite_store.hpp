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

}  // namespace inkan
