#include "ca/store/postgresql/security_tables.hpp"

#include <sstream>

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/transaction.hpp"
#include "ca/store/security_rows.hpp"

namespace inkan::pg {
namespace {

// PostgreSQL's type OIDs of the covered tables' columns.
constexpr Oid kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23;

void append_value(std::string& out, const Result& r, int row, int col) {
  if (r.is_null(row, col)) return;
  const std::string name = r.column_name(col);
  const Oid type = r.column_type(col);
  if (type == kInt8 || type == kInt4 || type == kInt2) {
    append_integer(out, name, r.integer(row, col));
  } else if (type == kBytea) {
    const Bytes b = r.bytes(row, col);
    append_bytes(out, name, b.data(), b.size());
  } else {
    append_text(out, name, r.text(row, col));
  }
}

std::string changed_setting(const std::string& table) { return "inkan.changed_" + table; }

}  // namespace

std::vector<std::string> PgSecurityTables::tables() const { return security_table_names(); }

std::string PgSecurityTables::rows(const std::string& table) const {
  const CoveredTable& c = covered_table(table);
  return guarded("reading the " + table + " table", [&] {
    // The table name comes from kSecurityTables, never from input.
    std::string sql = "SELECT * FROM " + table;
    Params params;
    if (table == "settings") {
      sql += " WHERE key <> $1";
      params.text(std::string(kDigestSetting));
    }
    sql += " ORDER BY " + std::string(c.order_by);  // text keys are COLLATE "C" in the schema
    const Result r = db_.exec(sql, params);
    std::string out;
    for (int i = 0; i < r.rows(); ++i) {
      for (int col = 0; col < r.columns(); ++col) append_value(out, r, i, col);
      out += '\n';
    }
    return out;
  });
}

std::map<std::string, std::string> PgSecurityTables::digests() const {
  return guarded("reading the security table digests", [&] {
    const Result r = db_.exec("SELECT value FROM settings WHERE key = $1", Params().text(std::string(kDigestSetting)));
    if (r.empty()) return std::map<std::string, std::string>{};
    return parse_digests(r.text(0, 0));
  });
}

void PgSecurityTables::store_digests(const std::map<std::string, std::string>& digests) {
  const std::string value = format_digests(digests);
  write(db_, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        Params().text(std::string(kDigestSetting)).text(value));
}

void PgSecurityTables::seal_changed() {
  guarded("updating the security table digests", [&] {
    std::string all = "{";
    for (const auto& c : kSecurityTables) all += std::string(all.size() > 1 ? "," : "") + c.table;
    const Result noted = db_.exec("SELECT t FROM unnest($1::text[]) t WHERE current_setting('inkan.changed_' || t, true) = 'on'"
                                  " ORDER BY t",
                                  Params().text(all + "}"));
    std::vector<std::string> changed;
    for (int i = 0; i < noted.rows(); ++i) changed.push_back(noted.text(i, 0));
    if (changed.empty()) return;
    if (sealer_) {
      auto d = digests();
      for (const auto& t : changed) d[t] = sealer_(t, rows(t));
      store_digests(d);
    }
    for (const auto& t : changed) db_.exec("SELECT set_config($1, '', true)", Params().text(changed_setting(t)));
  });
}

void PgSecurityTables::reseal_all() {
  if (!sealer_) throw Error(ErrorCode::InvalidState, "sealing the security tables needs the data key (the passphrase)");
  WriteScope scope(db_);
  guarded("sealing the security tables", [&] {
    std::map<std::string, std::string> d;
    for (const auto& c : kSecurityTables) d[c.table] = sealer_(c.table, rows(c.table));
    store_digests(d);
    for (const auto& c : kSecurityTables)
      db_.exec("SELECT set_config($1, '', true)", Params().text(changed_setting(c.table)));
  });
  scope.commit();
}

}  // namespace inkan::pg
