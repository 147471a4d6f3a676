#pragma once
// Turns SQLite exceptions into inkan::Error, so no SQLiteCpp type leaves ca/store/sqlite.
#include <SQLiteCpp/Exception.h>

#include <string>
#include <string_view>
#include <utility>

#include "ca/domain/error.hpp"

namespace inkan::sqlite {

// True when `e` is the constraint failure `extended_code` (SQLITE_CONSTRAINT_UNIQUE, ...).
bool is_constraint(const SQLite::Exception& e, int extended_code);
// True when a UNIQUE/PRIMARY KEY failure names `table_dot_column` ("certificates.sha256").
bool violates_unique(const SQLite::Exception& e, std::string_view table_dot_column);

// Error(Store) that says what we were doing and what SQLite said.
Error store_error(const SQLite::Exception& e, std::string_view doing);

// Runs `body`, translating SQLite exceptions; inkan::Error passes through unchanged.
template <typename Body>
decltype(auto) guarded(std::string_view doing, Body&& body) {
  try {
    return std::forward<Body>(body)();
  } catch (const SQLite::Exception& e) {
    throw store_error(e, doing);
  }
}

}  // namespace inkan::sqlite
