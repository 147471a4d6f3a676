#pragma once
// What both store backends digest for SecurityTables (ca/store/store.hpp): the covered tables,
// each in a total order, and how a row's values are spelled, so the same rows give the same
// digest on SQLite and PostgreSQL.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/error.hpp"

namespace inkan {

struct CoveredTable {
  const char* table;
  const char* order_by;  // a total order: the digest must not depend on the plan
};

inline constexpr std::array<CoveredTable, 5> kSecurityTables{{{"admin_certificates", "serial"},
                                                              {"admin_users", "id"},
                                                              {"cas", "id"},
                                                              {"settings", "key"},
                                                              {"tenants", "id"}}};

// SecurityTables::tables() of either backend.
inline std::vector<std::string> security_table_names() {
  std::vector<std::string> out;
  for (const auto& c : kSecurityTables) out.emplace_back(c.table);
  return out;
}

inline const CoveredTable& covered_table(const std::string& table) {
  for (const auto& c : kSecurityTables)
    if (table == c.table) return c;
  throw Error(ErrorCode::InvalidArgument, "not a security table: " + table);
}

// Each value with its column name, type and length, so no two different tables read alike. A NULL
// is left out (the caller skips it): a migration that adds a nullable column to a security table
// (tenants.retired_at) leaves every seal valid, and a value set later still changes the digest.
inline void append_integer(std::string& out, std::string_view column, std::int64_t v) {
  out.append(column).append("=i").append(std::to_string(v)) += '\x1f';
}

inline void append_text(std::string& out, std::string_view column, std::string_view text) {
  out.append(column).append("=t").append(std::to_string(text.size())).append(":").append(text) += '\x1f';
}

inline void append_bytes(std::string& out, std::string_view column, const unsigned char* p, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.append(column).append("=b").append(std::to_string(n)).append(":");
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[p[i] >> 4];
    out += kHex[p[i] & 15];
  }
  out += '\x1f';
}

// The value of the setting SecurityTables::kDigestSetting: "table digest" lines, by table.
inline std::map<std::string, std::string> parse_digests(const std::string& value) {
  std::map<std::string, std::string> out;
  std::istringstream in(value);
  std::string table, digest;
  while (in >> table >> digest) out[table] = digest;
  return out;
}

inline std::string format_digests(const std::map<std::string, std::string>& digests) {
  std::string value;
  for (const auto& [table, digest] : digests) value += table + " " + digest + "\n";
  return value;
}

}  // namespace inkan
