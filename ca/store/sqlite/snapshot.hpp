#pragma once
// Online snapshots of a live database and read-only inspection of a database file: the store
// side of `inkan backup` and `inkan restore`.
#include <SQLiteCpp/Database.h>

#include <filesystem>

#include "ca/store/store.hpp"

namespace inkan::sqlite {

// See Store::snapshot_to.
void snapshot_database(SQLite::Database& source, const std::filesystem::path& target,
                       const SnapshotProgress& progress);

}  // namespace inkan::sqlite
