#pragma once
// Reading stored enum spellings from a result, as ca/store/sqlite/columns.hpp does for SQLite.
#include <string>
#include <string_view>

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/connection.hpp"

namespace inkan::pg {

// An unknown spelling means the row was edited by hand or written by a newer inkan.
template <typename Enum, typename Parser>
Enum read_enum(const Result& r, int row, int col, Parser parse, std::string_view what) {
  const std::string text = r.text(row, col);
  if (auto v = parse(text)) return *v;
  throw Error(ErrorCode::Integrity, "database holds an unknown " + std::string(what) + " '" + text + "'");
}

}  // namespace inkan::pg
