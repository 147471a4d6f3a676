// The CA-rollover part of SqliteCaRepository: switching the active issuing CA and keeping the
// one pending issuing CA key (offline root sequence).
#include <SQLiteCpp/Statement.h>

#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {

void SqliteCaRepository::activate_issuing(std::int64_t id) {
  guarded("activating issuing CA " + std::to_string(id), [&] {
    SQLite::Statement check(db_, "SELECT 1 FROM cas WHERE id = ? AND role = 'issuing'");
    check.bind(1, static_cast<int64_t>(id));
    if (!check.executeStep())
      throw Error(ErrorCode::NotFound, "no issuing CA with id " + std::to_string(id));
    // Deactivate first: the partial unique index allows one active issuing CA at any moment.
    SQLite::Statement off(db_, "UPDATE cas SET active = 0 WHERE role = 'issuing' AND active = 1 AND id <> ?");
    off.bind(1, static_cast<int64_t>(id));
    off.exec();
    SQLite::Statement on(db_, "UPDATE cas SET active = 1 WHERE id = ?");
    on.bind(1, static_cast<int64_t>(id));
    on.exec();
  });
}

std::optional<PendingCa> SqliteCaRepository::pending_issuing() const {
  return guarded("reading the pending issuing CA", [&]() -> std::optional<PendingCa> {
    SQLite::Statement st(db_, "SELECT key_type, encrypted_key_pem, csr_der, created_at, key_module, key_uri"
                              " FROM pending_cas WHERE id = 1");
    if (!st.executeStep()) return std::nullopt;
    PendingCa p;
    p.key_type = read_enum<KeyType>(st.getColumn(0), parse_key_type, "pending CA key type");
    p.encrypted_key_pem = st.getColumn(1).getString();
    p.csr_der = read_bytes(st.getColumn(2));
    p.created_at = read_time(st.getColumn(3));
    if (auto module = st.getColumn(4).getString(); !module.empty())
      p.token_key = TokenKeyRef{module, st.getColumn(5).getString()};
    return p;
  });
}

void SqliteCaRepository::put_pending_issuing(const PendingCa& p) {
  guarded("storing the pending issuing CA", [&] {
    SQLite::Statement st(db_,
                         "INSERT OR REPLACE INTO pending_cas (id, key_type, encrypted_key_pem, csr_der, created_at,"
                         " key_module, key_uri) VALUES (1, :key_type, :key, :csr, :at, :module, :uri)");
    st.bind(":module", p.token_key ? p.token_key->module_path : std::string());
    st.bind(":uri", p.token_key ? p.token_key->uri : std::string());
    st.bind(":key_type", std::string(to_string(p.key_type)));
    st.bind(":key", p.encrypted_key_pem);
    bind_bytes(st, ":csr", p.csr_der);
    bind_time(st, ":at", p.created_at);
    st.exec();
  });
}

void SqliteCaRepository::clear_pending_issuing() {
  guarded("clearing the pending issuing CA", [&] { db_.exec("DELETE FROM pending_cas"); });
}

}  // namespace inkan::sqlite
