#pragma once
// One reader for certificate rows, shared by the repository and the list queries.
#include <SQLiteCpp/Statement.h>

#include "ca/domain/records.hpp"

namespace inkan::sqlite {

// Every column read_certificate expects, in its order.
extern const char* const kCertificateSelect;
// The same columns with NULL for the DER: a list page needs no DER, and 50 rows of it would
// dominate the query's time. Rows read from it have an empty cert_der.
extern const char* const kCertificateSummarySelect;

CertificateRecord read_certificate(const SQLite::Statement& st);
// A revocation reason column (its RFC 5280 code); Error(Integrity) for an unknown code.
RevocationReason read_reason(const SQLite::Column& column);

}  // namespace inkan::sqlite
