#include "ca/store/sqlite/connection.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

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

int retry_after_pause(void*, int attempt) {
  const long pause = busy_retry_pause_us(attempt);
  if (pause == 0) return 0;  // SQLITE_BUSY reaches the caller
  std::this_thread::sleep_for(std::chrono::microseconds(pause));
  return 1;
}

// One mutex per database file (as SQLite names it), for the life of the process.
std::shared_ptr<std::timed_mutex> gate_of(SQLite::Database& db) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::shared_ptr<std::timed_mutex>> registry;
  const char* name = sqlite3_db_filename(db.getHandle(), "main");
  std::lock_guard lock(registry_mutex);
  auto& gate = registry[name ? name : ""];
  if (!gate) gate = std::make_shared<std::timed_mutex>();
  return gate;
}

// The gates this thread holds: locking one of them again would wait for ourselves.
thread_local std::vector<const std::timed_mutex*> t_held_gates;

}  // namespace

WriteGate::WriteGate(SQLite::Database& db) : mutex_(gate_of(db)) {
  if (std::find(t_held_gates.begin(), t_held_gates.end(), mutex_.get()) != t_held_gates.end()) return;
  lock_ = std::unique_lock(*mutex_, std::chrono::milliseconds(kBusyTimeoutMs));
  if (!lock_.owns_lock())
    throw Error(ErrorCode::Store, "database is busy (another connection of this process has held the write lock for " +
                                      std::to_string(kBusyTimeoutMs / 1000) + " s)");
  t_held_gates.push_back(mutex_.get());
}

WriteGate::~WriteGate() {
  if (!lock_.owns_lock()) return;
  t_held_gates.erase(std::find(t_held_gates.begin(), t_held_gates.end(), mutex_.get()));
}

long busy_retry_pause_us(int attempt) {
  // 50, 100, 200, 400, 800 µs, then 1 ms per attempt: the total passes kBusyTimeoutMs after
  // 1,550 µs + 1 ms × (attempt - 5).
  constexpr long kCapUs = 1000;
  if (attempt < 5) return 50L << attempt;
  const long waited_us = 1550 + kCapUs * (attempt - 5L);
  return waited_us >= kBusyTimeoutMs * 1000L ? 0 : kCapUs;
}

void wait_when_busy(SQLite::Database& db) { sqlite3_busy_handler(db.getHandle(), retry_after_pause, nullptr); }

SQLite::Database open_connection(const std::filesystem::path& db_file) {
  create_private_file_if_absent(db_file);
  return guarded("opening '" + db_file.string() + "'", [&] {
    // No OPEN_CREATE: the file exists now, and SQLite must not create one with default mode.
    SQLite::Database db(db_file, SQLite::OPEN_READWRITE);
    wait_when_busy(db);
    require_wal(db, db_file);
    db.exec("PRAGMA synchronous = FULL");
    // Statement journals and sorter spills in memory: otherwise each multi-row UPDATE inside a
    // transaction (linking a renewal's predecessor) opened, probed and closed a temporary file
    // (2 % of the server's CPU in the renewal benchmark). They are small and short-lived.
    db.exec("PRAGMA temp_store = MEMORY");
    require_foreign_keys(db);
    return db;
  });
}

}  // namespace inkan::sqlite
