// Certificates on PostgreSQL, with the semantics of ca/store/sqlite/certificates: constraint-first
// (the serial's primary key, the unique successor index and SHA-256), transitions as conditional
// UPDATEs that exactly one transaction of any node wins.
#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/repositories.hpp"
#include "ca/store/postgresql/transaction.hpp"
#include "ca/store/postgresql/rows.hpp"

namespace inkan::pg {
namespace {

constexpr const char* kSelect =
    "SELECT serial, ca_id, tenant_id, cn, kind, key_type, email, state, requested_at, issued_at, not_before,"
    " not_after, sha256, cert_der, predecessor, successor, revoked_at, revocation_reason, notes,"
    " p12 IS NOT NULL FROM certificates ";

std::optional<Serial> optional_serial(const Result& r, int row, int col) {
  if (r.is_null(row, col)) return std::nullopt;
  return Serial::parse(r.text(row, col));
}

CertificateRecord read_certificate(const Result& r, int row) {
  CertificateRecord c;
  c.serial = Serial::parse(r.text(row, 0));
  c.ca_id = r.integer(row, 1);
  c.tenant_id = r.text(row, 2);
  c.cn = r.text(row, 3);
  c.kind = read_enum<CertKind>(r, row, 4, parse_cert_kind, "certificate kind");
  c.key_type = read_enum<KeyType>(r, row, 5, parse_key_type, "key type");
  c.email = r.optional_text(row, 6);
  c.state = read_enum<CertState>(r, row, 7, parse_cert_state, "certificate state");
  c.requested_at = r.time(row, 8);
  c.issued_at = r.optional_time(row, 9);
  c.not_before = r.time(row, 10);
  c.not_after = r.time(row, 11);
  c.sha256 = r.text(row, 12);
  c.cert_der = r.bytes(row, 13);
  c.predecessor = optional_serial(r, row, 14);
  c.successor = optional_serial(r, row, 15);
  c.revoked_at = r.optional_time(row, 16);
  if (!r.is_null(row, 17)) c.revocation_reason = stored_revocation_reason(r.integer(row, 17));
  c.notes = r.text(row, 18);
  c.has_credential = r.text(row, 19) == "t";
  return c;
}

std::vector<CertificateRecord> read_all(const Result& r) {
  std::vector<CertificateRecord> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_certificate(r, i));
  return out;
}

// SQL for "status at $now", mirroring CertificateRecord::status_at.
std::string status_condition(CertStatus status, const std::string& now) {
  switch (status) {
    case CertStatus::Revoked: return "state = 'revoked'";
    case CertStatus::Expired: return "state <> 'revoked' AND not_after <= " + now;
    case CertStatus::Superseded: return "state = 'superseded' AND not_after > " + now;
    case CertStatus::Active: return "state IN ('active', 'reserved') AND not_after > " + now;
  }
  return "false";
}

}  // namespace

std::optional<CertState> PgCertificateRepository::state_of(const Serial& serial) const {
  const Result r = db_.exec("SELECT state FROM certificates WHERE serial = $1", Params().text(serial.hex()));
  if (r.empty()) return std::nullopt;
  return read_enum<CertState>(r, 0, 0, parse_cert_state, "certificate state");
}

std::optional<CertificateRecord> PgCertificateRepository::first(const std::string& where, const Params& params) const {
  const Result r = db_.exec(kSelect + where, params);
  if (r.empty()) return std::nullopt;
  return read_certificate(r, 0);
}

void PgCertificateRepository::reserve(const Reservation& r) {
  try {
    write(db_, "INSERT INTO certificates (serial, ca_id, tenant_id, cn, kind, key_type, email, state,"
                    " requested_at, not_before, not_after, predecessor)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, 'reserved', $8, $9, $10, $11)",
                    Params()
                        .text(r.serial.hex())
                        .integer(r.ca_id)
                        .text(r.tenant_id)
                        .text(r.cn)
                        .text(std::string(to_string(r.kind)))
                        .text(std::string(to_string(r.key_type)))
                        .text(r.email)
                        .time(r.requested_at)
                        .time(r.not_before)
                        .time(r.not_after)
                        .text(r.predecessor ? std::optional(r.predecessor->hex()) : std::nullopt));
  } catch (const PgError& e) {
    if (violates_unique(e, "certificates_pkey"))
      throw Error(ErrorCode::AlreadyExists, "serial " + r.serial.hex() + " already exists");
    if (violates_unique(e, "certificates_one_successor"))
      throw Error(ErrorCode::AlreadyExists, cert_label(*r.predecessor) + " already has a successor");
    // PostgreSQL names the foreign key that failed.
    if (e.constraint() == "certificates_tenant_id_fkey")
      throw Error(ErrorCode::NotFound, "unknown tenant '" + r.tenant_id + "'");
    if (e.constraint() == "certificates_ca_id_fkey")
      throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(r.ca_id));
    if (e.constraint() == "certificates_predecessor_fkey" && r.predecessor)
      throw Error(ErrorCode::NotFound, "unknown predecessor " + cert_label(*r.predecessor));
    throw store_error(e, "reserving " + cert_label(r.serial));
  }
}

void PgCertificateRepository::commit_issued(const Serial& serial, const IssuedCertificate& issued) {
  // An empty fingerprint would collide in the unique index with the next such mistake.
  if (issued.cert_der.empty() || issued.sha256.empty())
    throw Error(ErrorCode::InvalidArgument,
                "committing " + cert_label(serial) + " needs the certificate and its SHA-256");
  Params params;
  params.text(serial.hex()).time(issued.issued_at).text(issued.sha256).bytes(issued.cert_der);
  if (const auto& cred = issued.credential)
    params.bytes(cred->p12).text(std::string(to_string(cred->profile))).bytes(cred->password_nonce).bytes(
        cred->password_ciphertext);
  else
    params.null().null().null().null();
  try {
    // Conditional on 'reserved': a row can be committed once, never overwritten.
    const auto changed = write(db_, "UPDATE certificates SET state = 'active', issued_at = $2, sha256 = $3,"
                                         " cert_der = $4, p12 = $5, p12_profile = $6, password_nonce = $7,"
                                         " password_ciphertext = $8 WHERE serial = $1 AND state = 'reserved'",
                                         params)
                             .affected();
    if (changed == 1) return;
  } catch (const PgError& e) {
    if (violates_unique(e, "certificates_sha256"))
      throw Error(ErrorCode::AlreadyExists, "a certificate with SHA-256 " + issued.sha256 + " is already recorded");
    throw store_error(e, "recording " + cert_label(serial));
  }
  const auto state = guarded("reading " + cert_label(serial), [&] { return state_of(serial); });
  throw Error(ErrorCode::InvalidState, state ? cert_label(serial) + " is " + std::string(to_string(*state)) +
                                                   ", not reserved"
                                             : "no reservation for serial " + serial.hex());
}

void PgCertificateRepository::drop_reservation(const Serial& serial) {
  const auto deleted = guarded("dropping the reservation of " + cert_label(serial), [&] {
    return write(db_, "DELETE FROM certificates WHERE serial = $1 AND state = 'reserved'", Params().text(serial.hex()))
        .affected();
  });
  if (deleted == 1) return;
  // Dropping twice is harmless; dropping an issued certificate is a bug in the caller.
  const auto state = guarded("reading " + cert_label(serial), [&] { return state_of(serial); });
  if (state)
    throw Error(ErrorCode::InvalidState,
                cert_label(serial) + " is " + std::string(to_string(*state)) + ", not a reservation");
}

std::optional<CertificateRecord> PgCertificateRepository::find(const Serial& serial) const {
  return guarded("reading " + cert_label(serial), [&] { return first("WHERE serial = $1", Params().text(serial.hex())); });
}

std::optional<CertificateRecord> PgCertificateRepository::find_by_sha256(const std::string& hex) const {
  return guarded("looking up a certificate by SHA-256", [&] { return first("WHERE sha256 = lower($1)", Params().text(hex)); });
}

std::vector<CertificateRecord> PgCertificateRepository::list(const CertificateFilter& filter) const {
  Params params;
  auto param = [&](auto&& bind) {
    bind(params);
    return "$" + std::to_string(params.size());
  };
  std::string where = "WHERE true";
  if (!filter.include_reserved) where += " AND state <> 'reserved'";
  if (filter.tenant_id) where += " AND tenant_id = " + param([&](Params& p) { p.text(*filter.tenant_id); });
  std::string now;
  auto now_param = [&] {
    if (now.empty()) now = param([&](Params& p) { p.time(filter.now); });
    return now;
  };
  if (filter.status) where += " AND " + status_condition(*filter.status, now_param());
  if (filter.expiring_before)
    where += " AND not_after <= " + param([&](Params& p) { p.time(*filter.expiring_before); }) +
             " AND not_after > " + now_param();
  const std::string limit =
      param([&](Params& p) { p.integer(filter.limit == 0 ? std::nullopt : std::optional<std::int64_t>(filter.limit)); });
  const std::string offset = param([&](Params& p) { p.integer(static_cast<std::int64_t>(filter.offset)); });
  return guarded("listing certificates", [&] {
    return read_all(db_.exec(kSelect + where + " ORDER BY not_after, serial LIMIT " + limit + " OFFSET " + offset, params));
  });
}

std::vector<CertificateRecord> PgCertificateRepository::reservations() const {
  return guarded("listing reservations", [&] {
    return read_all(db_.exec(std::string(kSelect) + "WHERE state = 'reserved' ORDER BY requested_at, serial"));
  });
}

std::optional<Credential> PgCertificateRepository::credential(const Serial& serial) const {
  return guarded("reading the credential of " + cert_label(serial), [&]() -> std::optional<Credential> {
    const Result r = db_.exec("SELECT p12, p12_profile, password_nonce, password_ciphertext FROM certificates"
                              " WHERE serial = $1 AND p12 IS NOT NULL",
                              Params().text(serial.hex()));
    if (r.empty()) return std::nullopt;
    return Credential{r.bytes(0, 0), read_enum<P12Profile>(r, 0, 1, parse_p12_profile, "PKCS#12 profile"),
                      r.bytes(0, 2), r.bytes(0, 3)};
  });
}

void PgCertificateRepository::revoke(const Serial& serial, RevocationReason reason, Timestamp at) {
  const auto changed = guarded("revoking " + cert_label(serial), [&] {
    return write(db_, "UPDATE certificates SET state = 'revoked', revoked_at = $2, revocation_reason = $3"
                    " WHERE serial = $1 AND state IN ('active', 'superseded')",
                    Params().text(serial.hex()).time(at).integer(static_cast<std::int64_t>(reason)))
        .affected();
  });
  if (changed == 1) return;
  const auto state = guarded("reading " + cert_label(serial), [&] { return state_of(serial); });
  if (!state) throw Error(ErrorCode::NotFound, "unknown " + cert_label(serial));
  if (*state == CertState::Revoked) throw Error(ErrorCode::InvalidState, cert_label(serial) + " is already revoked");
  throw Error(ErrorCode::InvalidState, cert_label(serial) + " is only reserved, not issued");
}

void PgCertificateRepository::correct_revocation_reason(const Serial& serial, RevocationReason reason) {
  const auto changed = guarded("correcting the revocation reason of " + cert_label(serial), [&] {
    return write(db_, "UPDATE certificates SET revocation_reason = $2 WHERE serial = $1 AND state = 'revoked'",
                    Params().text(serial.hex()).integer(static_cast<std::int64_t>(reason)))
        .affected();
  });
  if (changed != 1) throw Error(ErrorCode::NotFound, cert_label(serial) + " is not revoked");
}

std::vector<Serial> PgCertificateRepository::serials_with_prefix(const std::string& hex_prefix,
                                                                 std::size_t limit) const {
  return guarded("looking up a serial prefix", [&] {
    // A range on the primary key (COLLATE "C"): 'G' sorts after every uppercase hex digit.
    const Result r = db_.exec("SELECT serial FROM certificates WHERE serial >= $1 AND serial < $2"
                              " AND state <> 'reserved' ORDER BY serial LIMIT $3",
                              Params().text(hex_prefix).text(hex_prefix + "G").integer(static_cast<std::int64_t>(limit)));
    std::vector<Serial> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(Serial::parse(r.text(i, 0)));
    return out;
  });
}

std::vector<RevokedEntry> PgCertificateRepository::revoked(std::int64_t ca_id) const {
  return guarded("listing revoked certificates", [&] {
    const Result r = db_.exec("SELECT serial, revoked_at, revocation_reason FROM certificates"
                              " WHERE ca_id = $1 AND state = 'revoked' ORDER BY revoked_at, serial",
                              Params().integer(ca_id));
    std::vector<RevokedEntry> out;
    for (int i = 0; i < r.rows(); ++i) {
      RevokedEntry e;
      e.serial = Serial::parse(r.text(i, 0));
      e.revoked_at = r.time(i, 1);
      e.reason = stored_revocation_reason(r.integer(i, 2));
      out.push_back(e);
    }
    return out;
  });
}

void PgCertificateRepository::set_notes(const Serial& serial, const std::string& notes) {
  const auto changed = guarded("writing notes of " + cert_label(serial), [&] {
    return write(db_, "UPDATE certificates SET notes = $1 WHERE serial = $2", Params().text(notes).text(serial.hex()))
        .affected();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown " + cert_label(serial));
}

bool PgCertificateRepository::link_successor(const Serial& predecessor, const Serial& successor, bool allow_revoked) {
  return guarded("linking " + cert_label(predecessor) + " to its successor", [&] {
    // Conditional: of concurrent renewals on any node, exactly one finds the row still without a
    // successor (the row lock makes the others re-check the condition after it commits).
    const auto changed = write(db_, "UPDATE certificates SET successor = $1,"
                                  " state = CASE state WHEN 'active' THEN 'superseded' ELSE state END"
                                  " WHERE serial = $2 AND successor IS NULL"
                                  " AND (state = 'active' OR ($3 AND state = 'revoked'))",
                                  Params().text(successor.hex()).text(predecessor.hex()).text(std::string(allow_revoked ? "true" : "false")))
                             .affected();
    if (changed != 1) return false;
    // A successor logs in the administrator its predecessor did (issue 14 item 4).
    write(db_, "INSERT INTO admin_certificates (serial, user_id) SELECT $1, user_id FROM admin_certificates"
             " WHERE serial = $2 ON CONFLICT DO NOTHING",
             Params().text(successor.hex()).text(predecessor.hex()));
    return true;
  });
}

std::optional<CertificateRecord> PgCertificateRepository::find_successor_of(const Serial& serial) const {
  return guarded("reading the successor of " + cert_label(serial),
                 [&] { return first("WHERE predecessor = $1", Params().text(serial.hex())); });
}

std::vector<DuePredecessor> PgCertificateRepository::predecessors_due(Timestamp now, std::size_t limit) const {
  return guarded("finding predecessors due for revocation", [&] {
    const Result r = db_.exec(
        "SELECT p.serial, s.serial, s.issued_at + t.revoke_predecessor_after_days * 86400 AS due,"
        " t.revoke_predecessor_after_days"
        " FROM tenants t JOIN certificates p ON p.tenant_id = t.id AND p.state = 'superseded'"
        " JOIN certificates s ON s.serial = p.successor"
        " WHERE t.revoke_predecessor_after_days IS NOT NULL AND s.issued_at IS NOT NULL"
        " AND s.issued_at + t.revoke_predecessor_after_days * 86400 <= $1"
        " ORDER BY due, p.serial LIMIT $2",
        Params().time(now).integer(static_cast<std::int64_t>(limit)));
    std::vector<DuePredecessor> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({Serial::parse(r.text(i, 0)), Serial::parse(r.text(i, 1)), r.time(i, 2),
                     static_cast<int>(r.integer(i, 3))});
    return out;
  });
}

}  // namespace inkan::pg
