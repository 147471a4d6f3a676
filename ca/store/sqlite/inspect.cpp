// Read-only inspection of a database file that is not (yet) a data directory: a snapshot being
// archived, or a backup being restored.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <string>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/migrations.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"

namespace inkan {
namespace {

std::int64_t count(SQLite::Database& db, const char* table) {
  return db.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
}

void require_integrity(SQLite::Database& db, const std::string& name) {
  SQLite::Statement pages(db, "PRAGMA integrity_check");
  while (pages.executeStep()) {
    const std::string line = pages.getColumn(0).getString();
    if (line != "ok") throw Error(ErrorCode::Integrity, name + " fails the integrity check: " + line);
  }
  SQLite::Statement keys(db, "PRAGMA foreign_key_check");
  if (keys.executeStep())
    throw Error(ErrorCode::Integrity, name + " fails the foreign key check: a " +
                                          keys.getColumn(0).getString() + " row refers to a missing " +
                                          keys.getColumn(2).getString() + " row");
}

}  // namespace

StoreSummary inspect_database_file(const std::filesystem::path& db_file) {
  const std::string name = db_file.filename().string();
  try {
    SQLite::Database db(db_file, SQLite::OPEN_READONLY);
    require_integrity(db, name);
    if (db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = "
                      "'schema_version'").getInt() != 1)
      throw Error(ErrorCode::Integrity, name + " is not an inkan database (no schema_version)");
    StoreSummary s;
    s.schema_version = db.execAndGet("SELECT coalesce(max(version), 0) FROM schema_version").getInt();
    const int newest_known = sqlite::kMigrations.empty() ? 0 : sqlite::kMigrations.back().first;
    if (s.schema_version < 1)
      throw Error(ErrorCode::Integrity, name + " records no schema version");
    if (s.schema_version > newest_known)
      throw Error(ErrorCode::InvalidState, name + " has schema version " + std::to_string(s.schema_version) +
                                               ", newer than this inkan understands (" +
                                               std::to_string(newest_known) + ")");
    s.certificates = count(db, "certificates");
    s.tenants = count(db, "tenants");
    s.cas = count(db, "cas");
    s.audit_entries = count(db, "audit_log");
    SQLite::Statement head(db, "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (head.executeStep()) s.audit_head_hash = head.getColumn(0).getString();
    return s;
  } catch (const SQLite::Exception& e) {
    throw Error(ErrorCode::Integrity, name + " is not a readable inkan database: " + e.what());
  }
}

}  // namespace inkan
