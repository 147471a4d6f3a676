#pragma once
// Checks shared by the certificate and CRL linters: integers, times, algorithms, key ids.
#include <optional>
#include <string>

#include "ca/lint/lint_report.hpp"
#include "ca/lint/x509_parts.hpp"

namespace inkan::lint {

// Serial rules of RFC 5280 §4.1.2.2 and the 64-random-bit rule, on the INTEGER's content.
void check_serial(LintReport& report, ByteView integer, bool entropy_rule);
// Format, and UTCTime for every date through 2049.
void check_time(LintReport& report, const TimeField& time, const std::string& field);
// Matching inner/outer algorithm identifiers, and an algorithm we accept.
void check_signature_algorithm(LintReport& report, ByteView inner, ByteView outer, const std::string& oid);
// The keyIdentifier of an authorityKeyIdentifier extension value, if any; throws DerError.
std::optional<ByteView> authority_key_id(const Extension& aki);
// The key identifier inside a subjectKeyIdentifier extension value; throws DerError.
ByteView subject_key_id(const Extension& ski);

// The name and key-id linkage of a certificate or CRL to its issuer: the issuer name equals the
// issuer's subject, and the AKI's keyIdentifier (when both are present) the issuer's SKI.
void check_issuer_link(LintReport& report, const NameParts& issuer_name, const std::vector<Extension>& extensions,
                       const CertificateParts& issuer);

bool same_bytes(ByteView a, ByteView b);
std::string hex(ByteView bytes);

}  // namespace inkan::lint
