// The schema version of a database file read without changing anything, and a snapshot of a
// file that is not open as a store: what an upgrade needs before it migrates (ca/service
// data_dir: refuse a newer database, back up an older one).
#include <SQLiteCpp/Database.h>

#include <string>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/connection.hpp"
#include "ca/store/sqlite/migrations.hpp"
#include "ca/store/sqlite/snapshot.hpp"
#include "ca/store/sqlite/sql_errors.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"

namespace inkan {
namespace {

// "file:" URI of a path, every byte outside the unreserved set and '/' percent-encoded, so a
// directory named with '?', '#' or '%' cannot inject URI parameters.
std::string file_uri(const std::filesystem::path& file, const char* query) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (const unsigned char c : std::filesystem::absolute(file).string()) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0x0F];
    }
  }
  return uri + "?" + query;
}

}  // namespace

SchemaVersions read_schema_versions(const std::filesystem::path& db_file) {
  SchemaVersions v;
  v.program = sqlite::kMigrations.empty() ? 0 : sqlite::kMigrations.back().first;
  std::error_code ec;
  if (!std::filesystem::exists(db_file, ec) || std::filesystem::file_size(db_file, ec) == 0) return v;
  // Without a -wal file no connection is open, and the last one to close checkpointed every
  // commit into the file: read it as immutable, which takes no lock and leaves no -wal or -shm
  // behind, so a refused directory is exactly as it was. With a -wal, another process may be
  // writing: a plain read-only connection sees its commits (and creates no new file).
  // A writer may appear between the check and the read (the immutable read then fails or sees a
  // half-checkpointed file): any failure of the immutable read is retried on a plain read-only
  // connection, which waits for a concurrent commit as every other connection does.
  const bool wal_present = std::filesystem::exists(db_file.string() + "-wal", ec);
  const auto read = [&](SQLite::Database& db) {
    if (db.execAndGet("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = "
                      "'schema_version'").getInt() == 1)
      v.database = db.execAndGet("SELECT coalesce(max(version), 0) FROM schema_version").getInt();
    return v;
  };
  if (!wal_present) {
    try {
      SQLite::Database db(file_uri(db_file, "immutable=1"), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
      return read(db);
    } catch (const SQLite::Exception&) {
      // fall through to the locking read
    }
  }
  return sqlite::guarded("reading the schema version of '" + db_file.string() + "'", [&] {
    SQLite::Database db(db_file, SQLite::OPEN_READONLY);
    sqlite::wait_when_busy(db);
    return read(db);
  });
}

void snapshot_database_file(const std::filesystem::path& db_file, const std::filesystem::path& target,
                            const SnapshotProgress& progress) {
  // A normal connection (no migration): the same consistent online copy as Store::snapshot_to.
  SQLite::Database source = sqlite::open_connection(db_file);
  sqlite::snapshot_database(source, target, progress);
}

}  // namespace inkan
