#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

constexpr const char* kSelect =
    "SELECT id, role, subject, cert_der, encrypted_key_pem, key_type, not_before, not_after,"
    " active, parent_id, key_module, key_uri, crl_url FROM cas ";

CaRecord read_ca(const SQLite::Statement& st) {
  CaRecord ca;
  ca.id = st.getColumn(0).getInt64();
  ca.role = read_enum<CaRole>(st.getColumn(1), parse_ca_role, "CA role");
  ca.subject = st.getColumn(2).getString();
  ca.cert_der = read_bytes(st.getColumn(3));
  ca.encrypted_key_pem = st.getColumn(4).getString();
  ca.key_type = read_enum<KeyType>(st.getColumn(5), parse_key_type, "CA key type");
  ca.not_before = read_time(st.getColumn(6));
  ca.not_after = read_time(st.getColumn(7));
  ca.active = st.getColumn(8).getInt() != 0;
  if (!st.getColumn(9).isNull()) ca.parent_id = st.getColumn(9).getInt64();
  if (auto module = st.getColumn(10).getString(); !module.empty())
    ca.token_key = TokenKeyRef{module, st.getColumn(11).getString()};
  if (!st.getColumn(12).isNull()) ca.crl_url = st.getColumn(12).getString();
  return ca;
}

std::optional<CaRecord> first_ca(StatementCache& statements, const std::string& where,
                                 std::optional<std::int64_t> id = std::nullopt) {
  auto lease = statements.get(kSelect + where);
  auto& st = *lease;
  if (id) st.bind(1, static_cast<int64_t>(*id));
  if (!st.executeStep()) return std::nullopt;
  return read_ca(st);
}

}  // namespace

std::int64_t SqliteCaRepository::add(const CaRecord& ca) {
  try {
    SQLite::Statement st(db_,
                         "INSERT INTO cas (role, subject, cert_der, encrypted_key_pem, key_type,"
                         " not_before, not_after, active, parent_id, key_module, key_uri)"
                         " VALUES (:role, :subject, :der, :key, :key_type, :nb, :na, :active,"
                         " :parent, :module, :uri)");
    st.bind(":module", ca.token_key ? ca.token_key->module_path : std::string());
    st.bind(":uri", ca.token_key ? ca.token_key->uri : std::string());
    st.bind(":role", std::string(to_string(ca.role)));
    st.bind(":subject", ca.subject);
    bind_bytes(st, ":der", ca.cert_der);
    st.bind(":key", ca.encrypted_key_pem);
    st.bind(":key_type", std::string(to_string(ca.key_type)));
    bind_time(st, ":nb", ca.not_before);
    bind_time(st, ":na", ca.not_after);
    st.bind(":active", ca.active ? 1 : 0);
    if (ca.parent_id)
      st.bind(":parent", static_cast<int64_t>(*ca.parent_id));
    else
      st.bind(":parent");
    st.exec();
    const auto id = db_.getLastInsertRowid();
    if (ca.crl_url) set_crl_url(id, ca.crl_url);
    return id;
  } catch (const SQLite::Exception& e) {
    if (is_constraint(e, SQLITE_CONSTRAINT_UNIQUE))
      throw Error(ErrorCode::AlreadyExists,
                  "an active " + std::string(to_string(ca.role)) + " CA already exists");
    if (is_constraint(e, SQLITE_CONSTRAINT_FOREIGNKEY))
      throw Error(ErrorCode::NotFound,
                  "unknown parent CA id " + std::to_string(ca.parent_id.value_or(0)));
    throw store_error(e, "adding CA '" + ca.subject + "'");
  }
}

std::optional<CaRecord> SqliteCaRepository::find(std::int64_t id) const {
  return guarded("reading CA " + std::to_string(id),
                 [&] { return first_ca(statements_, "WHERE id = ?", id); });
}

std::optional<CaRecord> SqliteCaRepository::active_issuing() const {
  return guarded("reading the active issuing CA", [&] {
    return first_ca(statements_, "WHERE role = 'issuing' AND active = 1 ORDER BY id DESC LIMIT 1");
  });
}

std::optional<CaRecord> SqliteCaRepository::root() const {
  return guarded("reading the root CA",
                 [&] { return first_ca(statements_, "WHERE role = 'root' ORDER BY id DESC LIMIT 1"); });
}

std::vector<CaRecord> SqliteCaRepository::list() const {
  return guarded("listing CAs", [&] {
    SQLite::Statement st(db_, std::string(kSelect) + "ORDER BY id");
    std::vector<CaRecord> out;
    while (st.executeStep()) out.push_back(read_ca(st));
    return out;
  });
}

std::uint64_t SqliteCaRepository::next_crl_number(std::int64_t ca_id) {
  return guarded("taking the next CRL number", [&]() -> std::uint64_t {
    // One statement: the increment and the read cannot be separated by another writer.
    SQLite::Statement st(
        db_, "UPDATE cas SET crl_number = crl_number + 1 WHERE id = ? RETURNING crl_number");
    st.bind(1, static_cast<int64_t>(ca_id));
    if (!st.executeStep())
      throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(ca_id));
    const auto number = static_cast<std::uint64_t>(st.getColumn(0).getInt64());
    while (st.executeStep()) {
    }  // run to completion so the change is final before the statement is released
    return number;
  });
}

std::optional<StoredCrl> SqliteCaRepository::published_crl(std::int64_t ca_id) const {
  return guarded("reading the stored CRL of CA " + std::to_string(ca_id), [&]() -> std::optional<StoredCrl> {
    auto lease = statements_.get(
        "SELECT number, der, this_update, next_update, entries_digest FROM published_crls WHERE ca_id = ?");
    auto& st = *lease;
    st.bind(1, static_cast<int64_t>(ca_id));
    if (!st.executeStep()) return std::nullopt;
    StoredCrl crl;
    crl.ca_id = ca_id;
    crl.number = static_cast<std::uint64_t>(st.getColumn(0).getInt64());
    crl.der = read_bytes(st.getColumn(1));
    crl.this_update = read_time(st.getColumn(2));
    crl.next_update = read_time(st.getColumn(3));
    crl.entries_digest = st.getColumn(4).getString();
    return crl;
  });
}

void SqliteCaRepository::put_published_crl(const StoredCrl& crl) {
  guarded("storing the CRL of CA " + std::to_string(crl.ca_id), [&] {
    // Only a newer number replaces the stored CRL: the row never goes back.
    auto lease = statements_.get(
        "INSERT INTO published_crls (ca_id, number, der, this_update, next_update, entries_digest)"
        " VALUES (:ca, :number, :der, :this, :next, :digest)"
        " ON CONFLICT (ca_id) DO UPDATE SET number = excluded.number, der = excluded.der,"
        " this_update = excluded.this_update, next_update = excluded.next_update,"
        " entries_digest = excluded.entries_digest WHERE excluded.number > published_crls.number");
    auto& st = *lease;
    st.bind(":ca", static_cast<int64_t>(crl.ca_id));
    st.bind(":number", static_cast<int64_t>(crl.number));
    bind_bytes(st, ":der", crl.der);
    bind_time(st, ":this", crl.this_update);
    bind_time(st, ":next", crl.next_update);
    st.bind(":digest", crl.entries_digest);
    st.exec();
  });
}

bool SqliteCaRepository::replace_encrypted_key(std::int64_t id, const std::string& expected,
                                               const std::string& pem) {
  return guarded("replacing a CA key's encryption", [&] {
    SQLite::Statement st(db_, "UPDATE cas SET encrypted_key_pem = ? WHERE id = ? AND encrypted_key_pem = ?"
                              " AND encrypted_key_pem <> ''");
    st.bind(1, pem);
    st.bind(2, static_cast<int64_t>(id));
    st.bind(3, expected);
    return st.exec() == 1;
  });
}


void SqliteCaRepository::set_crl_url(std::int64_t id, const std::optional<std::string>& url) {
  guarded("setting a CA's CRL URL", [&] {
    if (url) {
      // The URL's owner first: a URL in any certificate must keep leading to its own CA's CRL.
      SQLite::Statement claim(db_, "INSERT INTO ca_crl_urls (url, ca_id) VALUES (?, ?) ON CONFLICT (url) DO NOTHING");
      claim.bind(1, *url);
      claim.bind(2, static_cast<int64_t>(id));
      claim.exec();
      SQLite::Statement owner(db_, "SELECT ca_id FROM ca_crl_urls WHERE url = ?");
      owner.bind(1, *url);
      if (owner.executeStep() && owner.getColumn(0).getInt64() != id)
        throw Error(ErrorCode::AlreadyExists, *url + " already leads to the CRL of ca:" +
                                                  std::to_string(owner.getColumn(0).getInt64()) + "; choose another URL");
    }
    SQLite::Statement st(db_, "UPDATE cas SET crl_url = ? WHERE id = ?");
    if (url)
      st.bind(1, *url);
    else
      st.bind(1);
    st.bind(2, static_cast<int64_t>(id));
    if (st.exec() == 0) throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(id));
  });
}

std::vector<CaCrlUrl> SqliteCaRepository::crl_urls() const {
  return guarded("listing CRL URLs", [&] {
    SQLite::Statement st(db_,
                         "SELECT u.url, u.ca_id, coalesce(c.crl_url = u.url, 0) FROM ca_crl_urls u"
                         " JOIN cas c ON c.id = u.ca_id ORDER BY u.ca_id, u.url");
    std::vector<CaCrlUrl> out;
    while (st.executeStep())
      out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64(), st.getColumn(2).getInt() != 0});
    return out;
  });
}

}  // namespace inkan::sqlite
