#include "ca/store/sqlite/migrations.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <string>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

int current_version(SQLite::Database& db) {
  return db.execAndGet("SELECT coalesce(max(version), 0) FROM schema_version").getInt();
}

void record_version(SQLite::Database& db, int version) {
  SQLite::Statement st(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
  st.bind(1, version);
  st.bind(2, static_cast<int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()));
  st.exec();
}

}  // namespace

std::string newer_schema_message(const std::filesystem::path& db_file, int database_version, int program_version) {
  return db_file.string() + " has schema version " + std::to_string(database_version) +
         ", newer than this inkan knows (up to " + std::to_string(program_version) +
         "): a newer inkan wrote it. Use that inkan version or a newer one; the database was not changed";
}

void apply_migrations(SQLite::Database& db) {
  const int newest_known = kMigrations.empty() ? 0 : kMigrations.back().first;
  guarded("applying schema migrations", [&] {
    // IMMEDIATE: two processes opening a fresh file must not both apply 0001.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT");
    const int current = current_version(db);
    if (current > newest_known)
      throw Error(ErrorCode::Store, newer_schema_message(db.getFilename(), current, newest_known));
    for (const auto& [version, sql] : kMigrations) {
      if (version <= current) continue;
      db.exec(std::string(sql));
      record_version(db, version);
    }
    tx.commit();
  });
}

}  // namespace inkan::sqlite
