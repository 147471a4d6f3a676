#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/repositories.hpp"
#include "ca/store/postgresql/transaction.hpp"

namespace inkan::pg {

std::optional<std::string> PgSettingsRepository::get(const std::string& key) const {
  return guarded("reading setting '" + key + "'", [&]() -> std::optional<std::string> {
    const Result r = db_.exec("SELECT value FROM settings WHERE key = $1", Params().text(key));
    if (r.empty()) return std::nullopt;
    return r.text(0, 0);
  });
}

void PgSettingsRepository::put(const std::string& key, const std::string& value) {
  guarded("writing setting '" + key + "'", [&] {
    write(db_, "INSERT INTO settings (key, value) VALUES ($1, $2)"
             " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
             Params().text(key).text(value));
  });
}

}  // namespace inkan::pg
