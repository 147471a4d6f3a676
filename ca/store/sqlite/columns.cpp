#include "ca/store/sqlite/columns.hpp"

namespace inkan::sqlite {

std::int64_t unix_seconds(Timestamp t) { return t.time_since_epoch().count(); }

Timestamp from_unix_seconds(std::int64_t s) { return Timestamp(std::chrono::seconds(s)); }

void bind_time(SQLite::Statement& st, const char* name, Timestamp t) {
  st.bind(name, static_cast<int64_t>(unix_seconds(t)));
}

void bind_time(SQLite::Statement& st, const char* name, const std::optional<Timestamp>& t) {
  if (t)
    bind_time(st, name, *t);
  else
    st.bind(name);
}

void bind_bytes(SQLite::Statement& st, const char* name, const Bytes& b) {
  // sqlite3_bind_blob turns a null pointer into NULL, so an empty vector needs a real address.
  static const std::uint8_t kNothing = 0;
  const void* data = b.empty() ? &kNothing : b.data();
  st.bind(name, data, static_cast<int>(b.size()));
}

void bind_text(SQLite::Statement& st, const char* name, const std::optional<std::string>& s) {
  if (s)
    st.bind(name, *s);
  else
    st.bind(name);
}

void bind_serial(SQLite::Statement& st, const char* name, const std::optional<Serial>& s) {
  if (s)
    st.bind(name, s->hex());
  else
    st.bind(name);
}

Timestamp read_time(const SQLite::Column& c) { return from_unix_seconds(c.getInt64()); }

std::optional<Timestamp> read_optional_time(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return read_time(c);
}

Bytes read_bytes(const SQLite::Column& c) {
  // getBlob before getBytes: SQLite computes the size of the converted value.
  const auto* data = static_cast<const std::uint8_t*>(c.getBlob());
  const int size = c.getBytes();
  if (data == nullptr || size <= 0) return {};
  return Bytes(data, data + size);
}

std::string read_text(const SQLite::Column& c) { return c.isNull() ? std::string() : c.getString(); }

std::optional<std::string> read_optional_text(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getString();
}

std::optional<Serial> read_optional_serial(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return Serial::parse(c.getString());
}

}  // namespace inkan::sqlite
