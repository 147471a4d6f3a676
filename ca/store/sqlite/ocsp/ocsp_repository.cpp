// Responder certificates and the certificate status change log of the OCSP responder.
#include <SQLiteCpp/Statement.h>

#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {

void SqliteOcspRepository::add_responder(const OcspResponderRecord& r) {
  guarded("storing the OCSP responder certificate " + r.serial.hex(), [&] {
    auto del_lease = statements_.get("DELETE FROM ocsp_responders WHERE ca_id = :ca AND not_after < :now");
    auto& del = *del_lease;
    del.bind(":ca", static_cast<int64_t>(r.ca_id));
    bind_time(del, ":now", r.created_at);
    del.exec();
    auto st_lease = statements_.get(
        "INSERT INTO ocsp_responders (ca_id, serial, cert_der, key_nonce, key_ciphertext, not_before, not_after,"
        " created_at) VALUES (:ca, :serial, :der, :nonce, :ct, :nb, :na, :at)");
    auto& st = *st_lease;
    st.bind(":ca", static_cast<int64_t>(r.ca_id));
    st.bind(":serial", r.serial.hex());
    bind_bytes(st, ":der", r.cert_der);
    bind_bytes(st, ":nonce", r.key_nonce);
    bind_bytes(st, ":ct", r.key_ciphertext);
    bind_time(st, ":nb", r.not_before);
    bind_time(st, ":na", r.not_after);
    bind_time(st, ":at", r.created_at);
    st.exec();
  });
}

std::optional<OcspResponderRecord> SqliteOcspRepository::current_responder(std::int64_t ca_id) const {
  return guarded("reading the OCSP responder of CA " + std::to_string(ca_id), [&]() -> std::optional<OcspResponderRecord> {
    auto st_lease = statements_.get(
        "SELECT id, ca_id, serial, cert_der, key_nonce, key_ciphertext, not_before, not_after, created_at"
        " FROM ocsp_responders WHERE ca_id = ? ORDER BY not_after DESC, id DESC LIMIT 1");
    auto& st = *st_lease;
    st.bind(1, static_cast<int64_t>(ca_id));
    if (!st.executeStep()) return std::nullopt;
    OcspResponderRecord r;
    r.id = st.getColumn(0).getInt64();
    r.ca_id = st.getColumn(1).getInt64();
    r.serial = Serial::parse(st.getColumn(2).getString());
    r.cert_der = read_bytes(st.getColumn(3));
    r.key_nonce = read_bytes(st.getColumn(4));
    r.key_ciphertext = read_bytes(st.getColumn(5));
    r.not_before = read_time(st.getColumn(6));
    r.not_after = read_time(st.getColumn(7));
    r.created_at = read_time(st.getColumn(8));
    return r;
  });
}

std::int64_t SqliteOcspRepository::status_change_head() const {
  return guarded("reading the certificate status change log", [&] {
    auto st_lease = statements_.get("SELECT coalesce(max(seq), 0) FROM certificate_status_changes");
    auto& st = *st_lease;
    st.executeStep();
    return static_cast<std::int64_t>(st.getColumn(0).getInt64());
  });
}

std::vector<CertificateStatusChange> SqliteOcspRepository::status_changes_after(std::int64_t seq,
                                                                                std::size_t limit) const {
  return guarded("reading the certificate status change log", [&] {
    auto st_lease = statements_.get(
        "SELECT seq, serial FROM certificate_status_changes WHERE seq > ? ORDER BY seq LIMIT ?");
    auto& st = *st_lease;
    st.bind(1, static_cast<int64_t>(seq));
    st.bind(2, static_cast<int64_t>(limit));
    std::vector<CertificateStatusChange> out;
    while (st.executeStep()) out.push_back({st.getColumn(0).getInt64(), Serial::parse(st.getColumn(1).getString())});
    return out;
  });
}

}  // namespace inkan::sqlite
