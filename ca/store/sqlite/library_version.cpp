// The SQLite library this process runs with (sqlite3_libversion of the loaded libsqlite3), for
// `inkan --version`.
#include <sqlite3.h>

#include "ca/store/sqlite/sqlite_store.hpp"

namespace inkan {

std::string sqlite_runtime_version() { return sqlite3_libversion(); }

}  // namespace inkan
