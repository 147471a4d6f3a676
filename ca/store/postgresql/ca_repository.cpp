#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/repositories.hpp"
#include "ca/store/postgresql/rows.hpp"
#include "ca/store/postgresql/transaction.hpp"

namespace inkan::pg {
namespace {

constexpr const char* kSelect =
    "SELECT id, role, subject, cert_der, encrypted_key_pem, key_type, not_before, not_after,"
    " active, parent_id, key_module, key_uri, crl_url FROM cas ";

CaRecord read_ca(const Result& r, int row) {
  CaRecord ca;
  ca.id = r.integer(row, 0);
  ca.role = read_enum<CaRole>(r, row, 1, parse_ca_role, "CA role");
  ca.subject = r.text(row, 2);
  ca.cert_der = r.bytes(row, 3);
  ca.encrypted_key_pem = r.text(row, 4);
  ca.key_type = read_enum<KeyType>(r, row, 5, parse_key_type, "CA key type");
  ca.not_before = r.time(row, 6);
  ca.not_after = r.time(row, 7);
  ca.active = r.integer(row, 8) != 0;
  ca.parent_id = r.optional_integer(row, 9);
  if (auto module = r.text(row, 10); !module.empty()) ca.token_key = TokenKeyRef{module, r.text(row, 11)};
  ca.crl_url = r.optional_text(row, 12);
  return ca;
}

std::optional<CaRecord> first_ca(Connection& db, const std::string& where, const Params& params = {}) {
  const Result r = db.exec(kSelect + where, params);
  if (r.empty()) return std::nullopt;
  return read_ca(r, 0);
}

}  // namespace

std::int64_t PgCaRepository::add(const CaRecord& ca) {
  try {
    // The id and the CRL URL together: the URL's claim may fail and must take the row with it.
    WriteScope scope(db_);
    const Result r = write(db_, "INSERT INTO cas (role, subject, cert_der, encrypted_key_pem, key_type, not_before, not_after, active,"
        " parent_id, key_module, key_uri) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        Params()
            .text(std::string(to_string(ca.role)))
            .text(ca.subject)
            .bytes(ca.cert_der)
            .text(ca.encrypted_key_pem)
            .text(std::string(to_string(ca.key_type)))
            .time(ca.not_before)
            .time(ca.not_after)
            .integer(ca.active ? 1 : 0)
            .integer(ca.parent_id)
            .text(ca.token_key ? ca.token_key->module_path : std::string())
            .text(ca.token_key ? ca.token_key->uri : std::string()));
    const std::int64_t id = r.integer(0, 0);
    if (ca.crl_url) set_crl_url(id, ca.crl_url);
    scope.commit();
    return id;
  } catch (const PgError& e) {
    if (violates_unique(e, "cas_one_active_per_role"))
      throw Error(ErrorCode::AlreadyExists, "an active " + std::string(to_string(ca.role)) + " CA already exists");
    if (violates(e, kForeignKeyViolation))
      throw Error(ErrorCode::NotFound, "unknown parent CA id " + std::to_string(ca.parent_id.value_or(0)));
    throw store_error(e, "adding CA '" + ca.subject + "'");
  }
}

std::optional<CaRecord> PgCaRepository::find(std::int64_t id) const {
  return guarded("reading CA " + std::to_string(id),
                 [&] { return first_ca(db_, "WHERE id = $1", Params().integer(id)); });
}

std::optional<CaRecord> PgCaRepository::active_issuing() const {
  return guarded("reading the active issuing CA", [&] {
    return first_ca(db_, "WHERE role = 'issuing' AND active = 1 ORDER BY id DESC LIMIT 1");
  });
}

std::optional<CaRecord> PgCaRepository::root() const {
  return guarded("reading the root CA", [&] { return first_ca(db_, "WHERE role = 'root' ORDER BY id DESC LIMIT 1"); });
}

std::vector<CaRecord> PgCaRepository::list() const {
  return guarded("listing CAs", [&] {
    const Result r = db_.exec(std::string(kSelect) + "ORDER BY id");
    std::vector<CaRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_ca(r, i));
    return out;
  });
}

std::uint64_t PgCaRepository::next_crl_number(std::int64_t ca_id) {
  return guarded("taking the next CRL number", [&]() -> std::uint64_t {
    // One statement: the row lock taken by UPDATE orders concurrent nodes, so each gets its own
    // number and numbers strictly increase across nodes.
    const Result r = write(db_, "UPDATE cas SET crl_number = crl_number + 1 WHERE id = $1 RETURNING crl_number",
                              Params().integer(ca_id));
    if (r.empty()) throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(ca_id));
    return static_cast<std::uint64_t>(r.integer(0, 0));
  });
}

std::optional<StoredCrl> PgCaRepository::published_crl(std::int64_t ca_id) const {
  return guarded("reading the stored CRL of CA " + std::to_string(ca_id), [&]() -> std::optional<StoredCrl> {
    const Result r = db_.exec("SELECT number, der, this_update, next_update, entries_digest FROM published_crls"
                              " WHERE ca_id = $1",
                              Params().integer(ca_id));
    if (r.empty()) return std::nullopt;
    StoredCrl crl;
    crl.ca_id = ca_id;
    crl.number = static_cast<std::uint64_t>(r.integer(0, 0));
    crl.der = r.bytes(0, 1);
    crl.this_update = r.time(0, 2);
    crl.next_update = r.time(0, 3);
    crl.entries_digest = r.text(0, 4);
    return crl;
  });
}

void PgCaRepository::put_published_crl(const StoredCrl& crl) {
  guarded("storing the CRL of CA " + std::to_string(crl.ca_id), [&] {
    // Only a newer number replaces the stored CRL: the row never goes back, whichever node writes.
    write(db_,
          "INSERT INTO published_crls (ca_id, number, der, this_update, next_update, entries_digest)"
          " VALUES ($1, $2, $3, $4, $5, $6)"
          " ON CONFLICT (ca_id) DO UPDATE SET number = excluded.number, der = excluded.der,"
          " this_update = excluded.this_update, next_update = excluded.next_update,"
          " entries_digest = excluded.entries_digest WHERE excluded.number > published_crls.number",
          Params()
              .integer(crl.ca_id)
              .integer(static_cast<std::int64_t>(crl.number))
              .bytes(crl.der)
              .time(crl.this_update)
              .time(crl.next_update)
              .text(crl.entries_digest));
  });
}

bool PgCaRepository::replace_encrypted_key(std::int64_t id, const std::string& expected, const std::string& pem) {
  return guarded("replacing a CA key's encryption", [&] {
    return write(db_, "UPDATE cas SET encrypted_key_pem = $1 WHERE id = $2 AND encrypted_key_pem = $3"
                    " AND encrypted_key_pem <> ''",
                    Params().text(pem).integer(id).text(expected))
               .affected() == 1;
  });
}

void PgCaRepository::set_crl_url(std::int64_t id, const std::optional<std::string>& url) {
  guarded("setting a CA's CRL URL", [&] {
    WriteScope scope(db_);
    if (url) {
      // The URL's owner first: a URL in any certificate must keep leading to its own CA's CRL.
      // ON CONFLICT DO NOTHING: the claim never fails, so the transaction stays usable.
      write(db_, "INSERT INTO ca_crl_urls (url, ca_id) VALUES ($1, $2) ON CONFLICT (url) DO NOTHING",
               Params().text(*url).integer(id));
      const Result owner = db_.exec("SELECT ca_id FROM ca_crl_urls WHERE url = $1", Params().text(*url));
      if (!owner.empty() && owner.integer(0, 0) != id)
        throw Error(ErrorCode::AlreadyExists, *url + " already leads to the CRL of ca:" +
                                                  std::to_string(owner.integer(0, 0)) + "; choose another URL");
    }
    if (write(db_, "UPDATE cas SET crl_url = $1 WHERE id = $2", Params().text(url).integer(id)).affected() == 0)
      throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(id));
    scope.commit();
  });
}

std::vector<CaCrlUrl> PgCaRepository::crl_urls() const {
  return guarded("listing CRL URLs", [&] {
    const Result r = db_.exec(
        "SELECT u.url, u.ca_id, coalesce(c.crl_url = u.url, false) FROM ca_crl_urls u"
        " JOIN cas c ON c.id = u.ca_id ORDER BY u.ca_id, u.url COLLATE \"C\"");
    std::vector<CaCrlUrl> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.integer(i, 1), r.text(i, 2) == "t"});
    return out;
  });
}

void PgCaRepository::activate_issuing(std::int64_t id) {
  guarded("activating issuing CA " + std::to_string(id), [&] {
    WriteScope scope(db_);
    if (db_.exec("SELECT 1 FROM cas WHERE id = $1 AND role = 'issuing'", Params().integer(id)).empty())
      throw Error(ErrorCode::NotFound, "no issuing CA with id " + std::to_string(id));
    // Deactivate first: the partial unique index allows one active issuing CA at any moment.
    write(db_, "UPDATE cas SET active = 0 WHERE role = 'issuing' AND active = 1 AND id <> $1", Params().integer(id));
    write(db_, "UPDATE cas SET active = 1 WHERE id = $1", Params().integer(id));
    scope.commit();
  });
}

std::optional<PendingCa> PgCaRepository::pending_issuing() const {
  return guarded("reading the pending issuing CA", [&]() -> std::optional<PendingCa> {
    const Result r = db_.exec("SELECT key_type, encrypted_key_pem, csr_der, created_at, key_module, key_uri"
                              " FROM pending_cas WHERE id = 1");
    if (r.empty()) return std::nullopt;
    PendingCa p;
    p.key_type = read_enum<KeyType>(r, 0, 0, parse_key_type, "pending CA key type");
    p.encrypted_key_pem = r.text(0, 1);
    p.csr_der = r.bytes(0, 2);
    p.created_at = r.time(0, 3);
    if (auto module = r.text(0, 4); !module.empty()) p.token_key = TokenKeyRef{module, r.text(0, 5)};
    return p;
  });
}

void PgCaRepository::put_pending_issuing(const PendingCa& p) {
  guarded("storing the pending issuing CA", [&] {
    write(db_, "INSERT INTO pending_cas (id, key_type, encrypted_key_pem, csr_der, created_at, key_module, key_uri)"
             " VALUES (1, $1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET key_type = EXCLUDED.key_type,"
             " encrypted_key_pem = EXCLUDED.encrypted_key_pem, csr_der = EXCLUDED.csr_der,"
             " created_at = EXCLUDED.created_at, key_module = EXCLUDED.key_module, key_uri = EXCLUDED.key_uri",
             Params()
                 .text(std::string(to_string(p.key_type)))
                 .text(p.encrypted_key_pem)
                 .bytes(p.csr_der)
                 .time(p.created_at)
                 .text(p.token_key ? p.token_key->module_path : std::string())
                 .text(p.token_key ? p.token_key->uri : std::string()));
  });
}

void PgCaRepository::clear_pending_issuing() {
  guarded("clearing the pending issuing CA", [&] { write(db_, "DELETE FROM pending_cas"); });
}

}  // namespace inkan::pg
