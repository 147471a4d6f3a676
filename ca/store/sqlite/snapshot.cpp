#include "ca/store/sqlite/snapshot.hpp"

#include <SQLiteCpp/Backup.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

// 1024 pages of 4 KiB: a few milliseconds per step, frequent enough for progress reports.
constexpr int kPagesPerStep = 1024;
// How long the copy may stall on BUSY/LOCKED before we give up.
constexpr auto kMaxStall = std::chrono::seconds(30);
constexpr auto kRetryPause = std::chrono::milliseconds(25);

void create_exclusive(const std::filesystem::path& target) {
  const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    throw Error(err == EEXIST ? ErrorCode::AlreadyExists : ErrorCode::Io,
                "cannot create snapshot " + target.string() + ": " + std::strerror(err));
  }
  const bool ok = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  if (!ok) throw Error(ErrorCode::Io, "cannot restrict snapshot " + target.string());
}

// A read transaction on the source for the whole copy. In WAL mode it fixes the snapshot the
// backup reads, so writers in other processes neither block us nor make the backup restart
// (without it, every foreign commit between two steps restarts the copy from page 1, and a
// busy batch could starve it forever); and it does not block those writers either.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(SQLite::Database& db) : db_(db) {
    if (sqlite3_get_autocommit(db.getHandle()) == 0)
      throw Error(ErrorCode::InvalidState, "cannot snapshot inside a transaction");
    db_.exec("BEGIN DEFERRED");
    // A deferred transaction only takes its read lock at the first read.
    db_.execAndGet("SELECT count(*) FROM sqlite_schema");
  }
  ~ReadSnapshot() {
    if (sqlite3_get_autocommit(db_.getHandle()) == 0) sqlite3_exec(db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  SQLite::Database& db_;
};

void copy_pages(SQLite::Database& source, SQLite::Database& dest, const SnapshotProgress& progress) {
  ReadSnapshot pinned(source);
  SQLite::Backup backup(dest, source);
  auto last_progress = std::chrono::steady_clock::now();
  for (;;) {
    const int rc = backup.executeStep(kPagesPerStep);  // throws on fatal errors
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (std::chrono::steady_clock::now() - last_progress > kMaxStall)
        throw Error(ErrorCode::Store, "database stayed locked for 30 s while taking the snapshot");
      std::this_thread::sleep_for(kRetryPause);
      continue;
    }
    last_progress = std::chrono::steady_clock::now();
    const std::int64_t total = backup.getTotalPageCount();
    if (progress) progress(total - backup.getRemainingPageCount(), total);
    if (rc == SQLITE_DONE) return;
  }
}

}  // namespace

void snapshot_database(SQLite::Database& source, const std::filesystem::path& target,
                       const SnapshotProgress& progress) {
  create_exclusive(target);
  try {
    guarded("taking a snapshot", [&] {
      SQLite::Database dest(target, SQLite::OPEN_READWRITE);
      copy_pages(source, dest, progress);
      // The copied header still says WAL; a rollback journal makes the file self-contained
      // and readable without its -wal and -shm companions.
      const std::string mode = dest.execAndGet("PRAGMA journal_mode = DELETE").getString();
      if (mode != "delete")
        throw Error(ErrorCode::Store, "snapshot kept journal mode '" + mode + "'");
    });
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(target, ignored);
    std::filesystem::remove(target.string() + "-journal", ignored);
    throw;
  }
}

}  // namespace inkan::sqlite
