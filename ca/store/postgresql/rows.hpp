#pragma once
// Reading stored values from a result (ca/store/stored_values.hpp), as ca/store/sqlite/columns.hpp
// does for SQLite.
#include <string>
#include <string_view>

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/connection.hpp"
#include "ca/store/stored_values.hpp"

namespace inkan::pg {

// An unknown spelling means the row was edited by hand or written by a newer inkan.
template <typename Enum, typename Parser>
Enum read_enum(const Result& r, int row, int col, Parser parse, std::string_view what) {
  return parse_stored<Enum>(r.text(row, col), parse, what);
}

}  // namespace inkan::pg
