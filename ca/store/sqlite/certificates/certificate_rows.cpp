#include "ca/store/sqlite/certificates/certificate_rows.hpp"

#include <string>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/stored_values.hpp"

namespace inkan::sqlite {

#define INKAN_CERTIFICATE_COLUMNS(der)                                                          \
  "SELECT serial, ca_id, tenant_id, cn, kind, key_type, email, state, requested_at,"           \
  " issued_at, not_before, not_after, sha256, " der ", predecessor, successor, revoked_at,"     \
  " revocation_reason, notes, p12 IS NOT NULL FROM certificates "

const char* const kCertificateSelect = INKAN_CERTIFICATE_COLUMNS("cert_der");
const char* const kCertificateSummarySelect = INKAN_CERTIFICATE_COLUMNS("NULL");

#undef INKAN_CERTIFICATE_COLUMNS

RevocationReason read_reason(const SQLite::Column& column) { return stored_revocation_reason(column.getInt64()); }

CertificateRecord read_certificate(const SQLite::Statement& st) {
  CertificateRecord c;
  c.serial = Serial::parse(st.getColumn(0).getString());
  c.ca_id = st.getColumn(1).getInt64();
  c.tenant_id = st.getColumn(2).getString();
  c.cn = st.getColumn(3).getString();
  c.kind = read_enum<CertKind>(st.getColumn(4), parse_cert_kind, "certificate kind");
  c.key_type = read_enum<KeyType>(st.getColumn(5), parse_key_type, "key type");
  c.email = read_optional_text(st.getColumn(6));
  c.state = read_enum<CertState>(st.getColumn(7), parse_cert_state, "certificate state");
  c.requested_at = read_time(st.getColumn(8));
  c.issued_at = read_optional_time(st.getColumn(9));
  c.not_before = read_time(st.getColumn(10));
  c.not_after = read_time(st.getColumn(11));
  c.sha256 = read_text(st.getColumn(12));
  c.cert_der = read_bytes(st.getColumn(13));
  c.predecessor = read_optional_serial(st.getColumn(14));
  c.successor = read_optional_serial(st.getColumn(15));
  c.revoked_at = read_optional_time(st.getColumn(16));
  if (!st.getColumn(17).isNull()) c.revocation_reason = read_reason(st.getColumn(17));
  c.notes = st.getColumn(18).getString();
  c.has_credential = st.getColumn(19).getInt() != 0;
  return c;
}


}  // namespace inkan::sqlite
