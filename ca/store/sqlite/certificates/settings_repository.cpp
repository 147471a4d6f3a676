#include <SQLiteCpp/Statement.h>

#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {

std::optional<std::string> SqliteSettingsRepository::get(const std::string& key) const {
  return guarded("reading setting '" + key + "'", [&]() -> std::optional<std::string> {
    auto st_lease = statements_.get("SELECT value FROM settings WHERE key = ?");
    auto& st = *st_lease;
    st.bind(1, key);
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getString();
  });
}

void SqliteSettingsRepository::put(const std::string& key, const std::string& value) {
  guarded("writing setting '" + key + "'", [&] {
    auto st_lease = statements_.get("INSERT INTO settings (key, value) VALUES (?, ?)"
                                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    auto& st = *st_lease;
    st.bind(1, key);
    st.bind(2, value);
    st.exec();
  });
}

}  // namespace inkan::sqlite
