#include "ca/store/sqlite/connection.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

void create_private_file_if_absent(const std::filesystem::path& db_file) {
  const int fd = ::open(db_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // an existing database keeps the mode its owner gave it
    throw Error(ErrorCode::Io,
                "cannot create database '" + db_file.string() + "': " + std::strerror(errno));
  }
  // The umask may only remove bits; fchmod makes the mode exactly 0600 regardless.
  const bool ok = ::fchmod(fd, 0600) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok)
    throw Error(ErrorCode::Io,
                "cannot restrict database '" + db_file.string() + "': " + std::strerror(saved));
}

// PRAGMA journal_mode answers with the mode actually in force (e.g. "memory" on some file
// systems); anything but WAL would silently weaken our durability assumptions.
void require_wal(SQLite::Database& db, const std::filesystem::path& db_file) {
  const std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal")
    throw Error(ErrorCode::Store, "database '" + db_file.string() +
                                      "' cannot use WAL journaling (got '" + mode + "')");
}

void require_foreign_keys(SQLite::Database& db) {
  db.exec("PRAGMA foreign_keys = ON");
  if (db.execAndGet("PRAGMA foreign_keys").getInt() != 1)
    throw Error(ErrorCode::Store, "this SQLite build does not enforce foreign keys");
}

}  // namespace

SQLite::Database open_connection(const std::filesystem::path& db_file) {
  create_private_file_if_absent(db_file);
  return guarded("opening '" + db_file.string() + "'", [&] {
    // No OPEN_CREATE: the file exists now, and SQLite must not create one with default mode.
    SQLite::Database db(db_file, SQLite::OPEN_READWRITE, kBusyTimeoutMs);
    require_wal(db, db_file);
    db.exec("PRAGMA synchronous = FULL");
    require_foreign_keys(db);
    return db;
  });
}

}  // namespace inkan::sqlite
