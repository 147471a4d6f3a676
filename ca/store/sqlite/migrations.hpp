#pragma once
// Numbered migrations from schemas/sql, embedded at build time by embed_migrations.cmake.
#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <string>

#include <string_view>
#include <utility>
#include <vector>

namespace inkan::sqlite {

// (version, SQL) in ascending version order.
extern const std::vector<std::pair<int, std::string_view>> kMigrations;

// Applies every migration newer than the database's schema_version, in order, in one
// BEGIN IMMEDIATE transaction, recording each version. Running it again changes nothing.
// Throws Error(Store) when the database was written by a newer inkan.
void apply_migrations(SQLite::Database& db);

// The refusal of a database written by a newer inkan: both versions, what to do, and that
// nothing was changed.
std::string newer_schema_message(const std::filesystem::path& db_file, int database_version, int program_version);

}  // namespace inkan::sqlite
