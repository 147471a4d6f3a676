#pragma once
// Turns PostgreSQL failures into inkan::Error, as ca/store/sqlite/sql_errors does for SQLite, so
// no libpq type or PgError leaves ca/store/postgresql.
#include <string>
#include <string_view>
#include <utility>

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/connection.hpp"

namespace inkan::pg {

// SQLSTATEs the repositories test for.
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kCheckViolation = "23514";

// True when `e` is a UNIQUE / PRIMARY KEY violation of the constraint or unique index named
// `constraint` (the schema's names, e.g. "certificates_sha256", "tenants_pkey").
bool violates_unique(const PgError& e, std::string_view constraint);
bool violates(const PgError& e, std::string_view sqlstate);

// Error(Conflict) for a serialization failure or deadlock that outlasted the retries (the caller
// may try again), Error(Store) for the rest; each says what we were doing and what PostgreSQL said.
Error store_error(const PgError& e, std::string_view doing);

// Runs `body`, translating PgError; inkan::Error passes through unchanged.
template <typename Body>
decltype(auto) guarded(std::string_view doing, Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const PgError& e) {
    throw store_error(e, doing);
  }
}

}  // namespace inkan::pg
