#include "ca/lint/field_checks.hpp"

#include <algorithm>
#include <array>
#include <bit>

namespace inkan::lint {
namespace {

// ECDSA with SHA-2 (no parameters) and RSA PKCS#1 v1.5 with SHA-2 (NULL parameters): what
// inkan signs with and what every client verifies. SHA-1 and MD5 are refused.
constexpr std::array<std::string_view, 6> kAcceptedSignatureAlgorithms = {
    "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",
    "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13"};

}  // namespace

bool same_bytes(ByteView a, ByteView b) { return std::ranges::equal(a, b); }

std::string hex(ByteView bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (auto b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

void check_serial(LintReport& report, ByteView c, bool entropy_rule) {
  if (c.empty()) {
    report.add(LintRule::SerialNotPositive, "empty INTEGER");
    return;
  }
  if (c.size() > 1 && ((c[0] == 0x00 && !(c[1] & 0x80)) || (c[0] == 0xFF && (c[1] & 0x80))))
    report.add(LintRule::SerialNotMinimal, "leading octet " + hex(c.first(1)) + " is redundant");
  if (c[0] & 0x80) {
    report.add(LintRule::SerialNotPositive, "negative");
    return;
  }
  auto magnitude = c;
  while (!magnitude.empty() && magnitude[0] == 0) magnitude = magnitude.subspan(1);
  if (magnitude.empty()) {
    report.add(LintRule::SerialNotPositive, "zero");
    return;
  }
  if (c.size() > 20) report.add(LintRule::SerialTooLong, std::to_string(c.size()) + " octets");
  const auto bits = magnitude.size() * 8 - std::countl_zero(magnitude[0]);
  if (entropy_rule && bits < 64) report.add(LintRule::SerialLowEntropy, std::to_string(bits) + " bits");
}

void check_time(LintReport& report, const TimeField& time, const std::string& field) {
  if (!time.value) {
    report.add(LintRule::TimeEncodingFormat, field + " is \"" + time.text + "\"");
    return;
  }
  using namespace std::chrono;
  const auto year = int(year_month_day{floor<days>(*time.value)}.year());
  if (time.tag == tag::kGeneralizedTime && year < 2050)
    report.add(LintRule::TimeGeneralizedBefore2050, field + " " + time.text);
}

void check_signature_algorithm(LintReport& report, ByteView inner, ByteView outer, const std::string& oid) {
  if (!same_bytes(inner, outer)) report.add(LintRule::SignatureAlgorithmMismatch);
  if (std::ranges::find(kAcceptedSignatureAlgorithms, oid) == kAcceptedSignatureAlgorithms.end()) {
    report.add(LintRule::SignatureAlgorithmWeak, oid);
    return;
  }
  // RFC 5758 §3.2: ECDSA identifiers carry no parameters; RFC 4055 §5: RSA ones carry NULL.
  DerReader r(read_single(outer, tag::kSequence, "AlgorithmIdentifier").content, "AlgorithmIdentifier");
  r.next(tag::kOid);
  const bool ecdsa = oid.starts_with("1.2.840.10045.");
  if (ecdsa ? !r.at_end() : !r.next_if(tag::kNull).has_value())
    report.add(LintRule::SignatureAlgorithmMismatch, "parameters of " + oid + " are not as RFC 5758 / RFC 4055 require");
}

void check_issuer_link(LintReport& report, const NameParts& issuer_name, const std::vector<Extension>& extensions,
                       const CertificateParts& issuer) {
  if (!same_bytes(issuer_name.whole, issuer.subject.whole)) report.add(LintRule::IssuerNameMismatch);
  const auto* aki = find_extension(extensions, oid::kAuthorityKeyId);
  const auto* issuer_ski = find_extension(issuer.extensions, oid::kSubjectKeyId);
  if (!aki || !issuer_ski) return;
  auto id = authority_key_id(*aki);
  if (id && !same_bytes(*id, subject_key_id(*issuer_ski)))
    report.add(LintRule::AuthorityKeyIdMismatch, hex(*id) + " against " + hex(subject_key_id(*issuer_ski)));
}

std::optional<ByteView> authority_key_id(const Extension& aki) {
  DerReader r(read_single(aki.value, tag::kSequence, "authorityKeyIdentifier").content, "authorityKeyIdentifier");
  if (auto id = r.next_if(tag::context(0, false))) return id->content;
  return std::nullopt;
}

ByteView subject_key_id(const Extension& ski) {
  return read_single(ski.value, tag::kOctetString, "subjectKeyIdentifier").content;
}

}  // namespace inkan::lint
