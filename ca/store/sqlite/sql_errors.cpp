#include "ca/store/sqlite/sql_errors.hpp"

#include <sqlite3.h>

namespace inkan::sqlite {

bool is_constraint(const SQLite::Exception& e, int extended_code) {
  return e.getExtendedErrorCode() == extended_code;
}

bool violates_unique(const SQLite::Exception& e, std::string_view table_dot_column) {
  const int code = e.getExtendedErrorCode();
  if (code != SQLITE_CONSTRAINT_UNIQUE && code != SQLITE_CONSTRAINT_PRIMARYKEY) return false;
  // SQLite names the columns: "UNIQUE constraint failed: certificates.sha256".
  return std::string_view(e.what()).find(table_dot_column) != std::string_view::npos;
}

Error store_error(const SQLite::Exception& e, std::string_view doing) {
  const int primary = e.getErrorCode() & 0xff;
  std::string message = "database error while " + std::string(doing) + ": " + e.what();
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    message = "database is busy (another inkan process holds the write lock) while " +
              std::string(doing);
  return Error(ErrorCode::Store, message);
}

}  // namespace inkan::sqlite
