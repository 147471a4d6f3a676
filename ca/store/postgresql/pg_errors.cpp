#include "ca/store/postgresql/pg_errors.hpp"

namespace inkan::pg {

bool violates(const PgError& e, std::string_view sqlstate) { return e.sqlstate() == sqlstate; }

bool violates_unique(const PgError& e, std::string_view constraint) {
  return e.sqlstate() == kUniqueViolation && e.constraint() == constraint;
}

Error store_error(const PgError& e, std::string_view doing) {
  const std::string& state = e.sqlstate();
  if (state == "40001" || state == "40P01")
    return Error(ErrorCode::Conflict, "another inkan node changed the same rows at the same time while " +
                                          std::string(doing) + "; try again (" + e.what() + ")");
  if (state == "42501")
    return Error(ErrorCode::Store, "the PostgreSQL role may not do this while " + std::string(doing) + ": " +
                                       e.what() + " (docs/operations.md, \"Several nodes\", lists the grants)");
  return Error(ErrorCode::Store, "database error while " + std::string(doing) + ": " + e.what());
}

}  // namespace inkan::pg
