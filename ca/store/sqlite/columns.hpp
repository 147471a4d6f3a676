#pragma once
// Conversions between domain values and SQLite columns: times as unix seconds, bytes as BLOBs,
// optionals as NULL, enums as their canonical spelling.
#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ca/domain/error.hpp"
#include "ca/domain/records.hpp"
#include "ca/store/stored_values.hpp"

namespace inkan::sqlite {

std::int64_t unix_seconds(Timestamp t);
Timestamp from_unix_seconds(std::int64_t s);

void bind_time(SQLite::Statement& st, const char* name, Timestamp t);
void bind_time(SQLite::Statement& st, const char* name, const std::optional<Timestamp>& t);
// An empty vector is bound as an empty BLOB, never as NULL.
void bind_bytes(SQLite::Statement& st, const char* name, const Bytes& b);
void bind_text(SQLite::Statement& st, const char* name, const std::optional<std::string>& s);
void bind_serial(SQLite::Statement& st, const char* name, const std::optional<Serial>& s);

Timestamp read_time(const SQLite::Column& c);
std::optional<Timestamp> read_optional_time(const SQLite::Column& c);
Bytes read_bytes(const SQLite::Column& c);  // NULL reads as empty
std::string read_text(const SQLite::Column& c);  // NULL reads as empty
std::optional<std::string> read_optional_text(const SQLite::Column& c);
std::optional<Serial> read_optional_serial(const SQLite::Column& c);

// Parses a stored enum spelling; an unknown one means the file was edited or is newer than us.
template <typename Enum, typename Parser>
Enum read_enum(const SQLite::Column& c, Parser parse, std::string_view what) {
  return parse_stored<Enum>(c.getString(), parse, what);
}

}  // namespace inkan::sqlite
