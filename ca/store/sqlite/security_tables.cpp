#include "ca/store/sqlite/security_tables.hpp"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <array>
#include <sstream>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/sql_errors.hpp"
#include "ca/store/sqlite/write_scope.hpp"

namespace inkan::sqlite {
namespace {

struct Covered {
  const char* table;
  const char* order_by;  // a total order: the digest must not depend on the plan
};

constexpr std::array<Covered, 5> kCovered{{{"admin_certificates", "serial"},
                                           {"admin_users", "id"},
                                           {"cas", "id"},
                                           {"settings", "key"},
                                           {"tenants", "id"}}};

const Covered& covered(const std::string& table) {
  for (const auto& c : kCovered)
    if (table == c.table) return c;
  throw Error(ErrorCode::InvalidArgument, "not a security table: " + table);
}

// Each value with its column name, type and length, so no two different tables read alike. A NULL
// is left out: a migration that adds a nullable column to a security table (tenants.retired_at)
// leaves every seal valid, and a value set later still changes the digest.
void append_value(std::string& out, const SQLite::Column& c) {
  if (c.getType() == SQLITE_NULL) return;
  out += c.getName();
  switch (c.getType()) {
    case SQLITE_INTEGER: out += "=i" + std::to_string(c.getInt64()); break;
    case SQLITE_FLOAT: out += "=f" + std::to_string(c.getDouble()); break;
    case SQLITE_BLOB: {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto* p = static_cast<const unsigned char*>(c.getBlob());
      const int n = c.getBytes();
      out += "=b" + std::to_string(n) + ":";
      for (int i = 0; i < n; ++i) {
        out += kHex[p[i] >> 4];
        out += kHex[p[i] & 15];
      }
      break;
    }
    default: {
      const std::string text = c.getString();
      out += "=t" + std::to_string(text.size()) + ":" + text;
    }
  }
  out += '\x1f';
}

}  // namespace

SqliteSecurityTables::SqliteSecurityTables(SQLite::Database& db) : db_(db) {
  guarded("preparing the security table digests", [&] {
    // No key and no conflict clause: an outer statement's conflict policy (an upsert, INSERT OR
    // REPLACE) overrides a trigger's OR IGNORE, so the trigger must not be able to conflict.
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS security_changed (name TEXT NOT NULL)");
    for (const auto& c : kCovered) {
      const std::string t = c.table;
      // The digest's own row is not covered: writing it must not mark settings changed again.
      const bool settings = t == "settings";
      for (const char* op : {"INSERT", "UPDATE", "DELETE"}) {
        const std::string row = std::string(op) == "DELETE" ? "OLD" : "NEW";
        const std::string when = settings ? " WHEN " + row + ".key <> '" + kDigestSetting + "'" : "";
        db_.exec("CREATE TEMP TRIGGER IF NOT EXISTS security_changed_" + t + "_" + op + " AFTER " + op +
                 " ON main." + t + when + " BEGIN INSERT INTO security_changed (name) SELECT '" + t +
                 "' WHERE NOT EXISTS (SELECT 1 FROM security_changed WHERE name = '" + t + "'); END");
      }
    }
  });
}

std::vector<std::string> SqliteSecurityTables::tables() const {
  std::vector<std::string> out;
  for (const auto& c : kCovered) out.emplace_back(c.table);
  return out;
}

std::string SqliteSecurityTables::rows(const std::string& table) const {
  const Covered& c = covered(table);
  return guarded("reading the " + table + " table", [&] {
    std::string sql = "SELECT * FROM main." + table;
    if (table == "settings") sql += " WHERE key <> '" + std::string(kDigestSetting) + "'";
    sql += " ORDER BY " + std::string(c.order_by);
    SQLite::Statement st(db_, sql);
    std::string out;
    while (st.executeStep()) {
      for (int i = 0; i < st.getColumnCount(); ++i) append_value(out, st.getColumn(i));
      out += '\n';
    }
    return out;
  });
}

std::map<std::string, std::string> SqliteSecurityTables::digests() const {
  return guarded("reading the security table digests", [&] {
    std::map<std::string, std::string> out;
    SQLite::Statement st(db_, "SELECT value FROM settings WHERE key = ?");
    st.bind(1, kDigestSetting);
    if (!st.executeStep()) return out;
    std::istringstream in(st.getColumn(0).getString());
    std::string table, digest;
    while (in >> table >> digest) out[table] = digest;
    return out;
  });
}

void SqliteSecurityTables::store_digests(const std::map<std::string, std::string>& digests) {
  std::string value;
  for (const auto& [table, digest] : digests) value += table + " " + digest + "\n";
  SQLite::Statement st(db_, "INSERT INTO settings (key, value) VALUES (?, ?)"
                            " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  st.bind(1, kDigestSetting);
  st.bind(2, value);
  st.exec();
}

void SqliteSecurityTables::seal_changed() {
  guarded("updating the security table digests", [&] {
    std::vector<std::string> changed;
    {
      SQLite::Statement st(db_, "SELECT DISTINCT name FROM temp.security_changed ORDER BY name");
      while (st.executeStep()) changed.push_back(st.getColumn(0).getString());
    }
    if (changed.empty()) return;
    if (sealer_) {
      auto d = digests();
      for (const auto& t : changed) d[t] = sealer_(t, rows(t));
      store_digests(d);
    }
    db_.exec("DELETE FROM temp.security_changed");
  });
}

void SqliteSecurityTables::reseal_all() {
  if (!sealer_) throw Error(ErrorCode::InvalidState, "sealing the security tables needs the data key (the passphrase)");
  WriteScope scope(db_);
  guarded("sealing the security tables", [&] {
    std::map<std::string, std::string> d;
    for (const auto& c : kCovered) d[c.table] = sealer_(c.table, rows(c.table));
    store_digests(d);
    db_.exec("DELETE FROM temp.security_changed");
  });
  scope.commit();
}

}  // namespace inkan::sqlite
