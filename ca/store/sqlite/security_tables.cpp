#include "ca/store/sqlite/security_tables.hpp"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <array>
#include <sstream>

#include "ca/domain/error.hpp"
#include "ca/store/security_rows.hpp"
#include "ca/store/sqlite/sql_errors.hpp"
#include "ca/store/sqlite/write_scope.hpp"

namespace inkan::sqlite {
namespace {

// Each value spelled as ca/store/security_rows.hpp says; a NULL is left out.
void append_value(std::string& out, const SQLite::Column& c) {
  switch (c.getType()) {
    case SQLITE_NULL: return;
    case SQLITE_INTEGER: append_integer(out, c.getName(), c.getInt64()); return;
    case SQLITE_FLOAT: out.append(c.getName()).append("=f").append(std::to_string(c.getDouble())) += '\x1f'; return;
    case SQLITE_BLOB:
      append_bytes(out, c.getName(), static_cast<const unsigned char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
      return;
    default: append_text(out, c.getName(), c.getString());
  }
}

}  // namespace

SqliteSecurityTables::SqliteSecurityTables(SQLite::Database& db) : db_(db) {
  guarded("preparing the security table digests", [&] {
    // No key and no conflict clause: an outer statement's conflict policy (an upsert, INSERT OR
    // REPLACE) overrides a trigger's OR IGNORE, so the trigger must not be able to conflict.
    db_.exec("CREATE TEMP TABLE IF NOT EXISTS security_changed (name TEXT NOT NULL)");
    for (const auto& c : kSecurityTables) {
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

std::vector<std::string> SqliteSecurityTables::tables() const { return security_table_names(); }

std::string SqliteSecurityTables::rows(const std::string& table) const {
  const CoveredTable& c = covered_table(table);
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
    SQLite::Statement st(db_, "SELECT value FROM settings WHERE key = ?");
    st.bind(1, kDigestSetting);
    if (!st.executeStep()) return std::map<std::string, std::string>{};
    return parse_digests(st.getColumn(0).getString());
  });
}

void SqliteSecurityTables::store_digests(const std::map<std::string, std::string>& digests) {
  const std::string value = format_digests(digests);
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
    for (const auto& c : kSecurityTables) d[c.table] = sealer_(c.table, rows(c.table));
    store_digests(d);
    db_.exec("DELETE FROM temp.security_changed");
  });
  scope.commit();
}

}  // namespace inkan::sqlite
