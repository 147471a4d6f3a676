#pragma once
// Opening the database file with the settings every inkan connection relies on.
#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <memory>
#include <mutex>

namespace inkan::sqlite {

// How long a connection waits for another connection's write lock before giving up.
inline constexpr int kBusyTimeoutMs = 10'000;

// The pause before retry number `attempt` (0-based) of a connection that found the write lock
// held, in microseconds; 0 means give up (kBusyTimeoutMs has passed). Short and capped at 1 ms,
// unlike SQLite's default schedule (1, 2, 5, 10 ... 100 ms), under which a writer queued behind
// a 3 ms commit could sleep 50 ms more: 8 concurrent renewals had a p99 near 0.7 s.
long busy_retry_pause_us(int attempt);

// Installs the busy handler with that schedule on a connection (open_connection does it; a
// read-only connection opened elsewhere needs it too, or a concurrent commit answers it BUSY).
void wait_when_busy(SQLite::Database& db);

// The write lock of one database file within this process. A connection takes it before BEGIN
// IMMEDIATE and keeps it until commit or rollback, so the server's threads queue on a mutex
// (no CPU, woken at once) instead of polling SQLite's lock; SQLite's own lock, with the busy
// handler, still orders this process against other processes. Throws Error(Store) after
// kBusyTimeoutMs, as SQLite's busy timeout would. A thread that already holds the gate of the
// file passes through (SQLite then reports a nested transaction, or waits on its own lock, as
// it did before the gate existed) instead of waiting for itself.
class WriteGate {
 public:
  explicit WriteGate(SQLite::Database& db);
  ~WriteGate();
  WriteGate(const WriteGate&) = delete;
  WriteGate& operator=(const WriteGate&) = delete;

 private:
  std::shared_ptr<std::timed_mutex> mutex_;
  std::unique_lock<std::timed_mutex> lock_;  // empty when this thread held the gate already
};

// Creates the file with mode 0600 when absent (before SQLite sees it, so it is never readable by
// others, not even briefly), then opens it in WAL mode with synchronous=FULL, foreign keys on
// and the busy handler above. Throws Error(Io) or Error(Store).
SQLite::Database open_connection(const std::filesystem::path& db_file);

}  // namespace inkan::sqlite
