// Responder certificates and the certificate status change log of the OCSP responder, on
// PostgreSQL. The change log is filled by the schema's trigger in the writer's transaction, so
// a responder on any node learns of a revocation made on another by reading one integer.
#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/repositories.hpp"
#include "ca/store/postgresql/transaction.hpp"

namespace inkan::pg {

void PgOcspRepository::add_responder(const OcspResponderRecord& r) {
  guarded("storing the OCSP responder certificate " + r.serial.hex(), [&] {
    WriteScope scope(db_);
    write(db_, "DELETE FROM ocsp_responders WHERE ca_id = $1 AND not_after < $2",
          Params().integer(r.ca_id).time(r.created_at));
    write(db_,
          "INSERT INTO ocsp_responders (ca_id, serial, cert_der, key_nonce, key_ciphertext, not_before, not_after,"
          " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          Params()
              .integer(r.ca_id)
              .text(r.serial.hex())
              .bytes(r.cert_der)
              .bytes(r.key_nonce)
              .bytes(r.key_ciphertext)
              .time(r.not_before)
              .time(r.not_after)
              .time(r.created_at));
    scope.commit();
  });
}

std::optional<OcspResponderRecord> PgOcspRepository::current_responder(std::int64_t ca_id) const {
  return guarded("reading the OCSP responder of CA " + std::to_string(ca_id), [&]() -> std::optional<OcspResponderRecord> {
    const Result res = db_.exec(
        "SELECT id, ca_id, serial, cert_der, key_nonce, key_ciphertext, not_before, not_after, created_at"
        " FROM ocsp_responders WHERE ca_id = $1 ORDER BY not_after DESC, id DESC LIMIT 1",
        Params().integer(ca_id));
    if (res.empty()) return std::nullopt;
    OcspResponderRecord r;
    r.id = res.integer(0, 0);
    r.ca_id = res.integer(0, 1);
    r.serial = Serial::parse(res.text(0, 2));
    r.cert_der = res.bytes(0, 3);
    r.key_nonce = res.bytes(0, 4);
    r.key_ciphertext = res.bytes(0, 5);
    r.not_before = res.time(0, 6);
    r.not_after = res.time(0, 7);
    r.created_at = res.time(0, 8);
    return r;
  });
}

std::int64_t PgOcspRepository::status_change_head() const {
  return guarded("reading the certificate status change log", [&] {
    return db_.exec("SELECT coalesce(max(seq), 0) FROM certificate_status_changes").integer(0, 0);
  });
}

std::vector<CertificateStatusChange> PgOcspRepository::status_changes_after(std::int64_t seq, std::size_t limit) const {
  return guarded("reading the certificate status change log", [&] {
    const Result r = db_.exec("SELECT seq, serial FROM certificate_status_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                              Params().integer(seq).integer(static_cast<std::int64_t>(limit)));
    std::vector<CertificateStatusChange> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.integer(i, 0), Serial::parse(r.text(i, 1))});
    return out;
  });
}

}  // namespace inkan::pg
