#pragma once
// Opening the database file with the settings every inkan connection relies on.
#include <SQLiteCpp/Database.h>

#include <filesystem>

namespace inkan::sqlite {

// How long a connection waits for another process's write lock before giving up.
inline constexpr int kBusyTimeoutMs = 10'000;

// Creates the file with mode 0600 when absent (before SQLite sees it, so it is never readable by
// others, not even briefly), then opens it in WAL mode with synchronous=FULL, foreign keys on
// and a busy timeout. Throws Error(Io) or Error(Store).
SQLite::Database open_connection(const std::filesystem::path& db_file);

}  // namespace inkan::sqlite
