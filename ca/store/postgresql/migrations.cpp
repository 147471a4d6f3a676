#include "ca/store/postgresql/migrations.hpp"

#include <chrono>

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/locks.hpp"
#include "ca/store/postgresql/pg_errors.hpp"

namespace inkan::pg {
namespace {

std::string newer_message(Connection& db, int database, int program) {
  return db.describe() + " has schema version " + std::to_string(database) +
         ", newer than this inkan knows (up to " + std::to_string(program) +
         "): a newer inkan migrated it. Use that inkan version or a newer one; the database was not changed";
}

// Holds the migration lock for the life of the object (session-scoped advisory lock).
class MigrationLock {
 public:
  explicit MigrationLock(Connection& db) : db_(db) {
    db_.exec("SELECT pg_advisory_lock($1)", Params().integer(kMigrationLock));
  }
  ~MigrationLock() {
    try {
      db_.exec("SELECT pg_advisory_unlock($1)", Params().integer(kMigrationLock));
    } catch (...) {
      // The session ends soon; PostgreSQL releases the lock with it.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Connection& db_;
};

}  // namespace

int newest_schema_version() { return kMigrations.empty() ? 0 : kMigrations.back().first; }

int schema_version(Connection& db) {
  return guarded("reading the schema version", [&]() -> int {
    if (db.exec("SELECT to_regclass('schema_version') IS NULL").text(0, 0) == "t") return 0;
    return static_cast<int>(db.exec("SELECT coalesce(max(version), 0) FROM schema_version").integer(0, 0));
  });
}

std::pair<int, int> migrate(Connection& db) {
  return guarded("migrating the schema", [&] {
    const MigrationLock lock(db);
    const int before = schema_version(db);
    const int newest = newest_schema_version();
    if (before > newest) throw Error(ErrorCode::Store, newer_message(db, before, newest));
    for (const auto& [version, sql] : kMigrations) {
      if (version <= before) continue;
      db.exec("BEGIN");
      try {
        // A migration file holds several statements: the simple query protocol runs them all.
        db.exec_script(std::string(sql));
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now().time_since_epoch());
        db.exec("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
                Params().integer(version).integer(now.count()));
        db.exec("COMMIT");
      } catch (...) {
        db.exec("ROLLBACK");
        throw;
      }
    }
    return std::pair{before, schema_version(db)};
  });
}

void require_current_schema(Connection& db) {
  const int current = schema_version(db);
  const int newest = newest_schema_version();
  if (current == 0)
    throw Error(ErrorCode::InvalidState, db.describe() +
                                             " holds no inkan schema: run `inkan store migrate --db URI` once "
                                             "(as a role that may create tables) before any node uses it");
  if (current < newest)
    throw Error(ErrorCode::InvalidState,
                db.describe() + " has schema version " + std::to_string(current) + "; this inkan needs " +
                    std::to_string(newest) + ": run `inkan store migrate --db URI` (nothing was changed)");
  if (current > newest) throw Error(ErrorCode::InvalidState, newer_message(db, current, newest));
}

}  // namespace inkan::pg
