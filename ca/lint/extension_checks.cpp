#include "ca/lint/extension_checks.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "ca/lint/field_checks.hpp"

namespace inkan::lint {
namespace {

// Extensions this profile understands; any other one marked critical must be refused.
constexpr std::array<std::string_view, 11> kProcessed = {
    oid::kSubjectKeyId, oid::kKeyUsage, oid::kSubjectAltName, oid::kBasicConstraints,
    oid::kCrlDistributionPoints, oid::kAuthorityKeyId, oid::kExtKeyUsage, oid::kAuthorityInfoAccess, oid::kOcspNoCheck,
    "2.5.29.32" /* certificatePolicies */, "2.5.29.30" /* nameConstraints */};

// KeyUsage named bits (RFC 5280 §4.2.1.3), numbered from the most significant bit.
constexpr unsigned kKeyCertSignBit = 5;

bool key_usage_bit(ByteView bit_string, unsigned bit) {
  if (bit_string.size() < 2) return false;
  const auto octet = 1 + bit / 8;
  return octet < bit_string.size() && (bit_string[octet] & (0x80 >> (bit % 8)));
}

void check_key_usage(LintReport& report, const Extension* ku, bool ca) {
  if (!ku) {
    report.add(LintRule::KeyUsageMissing);
    return;
  }
  if (!ku->critical) report.add(LintRule::KeyUsageNotCritical);
  const auto bits = read_single(ku->value, tag::kBitString, "keyUsage").content;
  if (bits.empty()) throw DerError("keyUsage: empty BIT STRING");
  if (std::all_of(bits.begin() + 1, bits.end(), [](auto b) { return b == 0; })) report.add(LintRule::KeyUsageEmpty);
  const bool cert_sign = key_usage_bit(bits, kKeyCertSignBit);
  if (cert_sign && !ca) report.add(LintRule::KeyUsageCertSignOnLeaf);
  if (!cert_sign && ca) report.add(LintRule::KeyUsageCaWithoutCertSign);
}

void check_ext_key_usage(LintReport& report, const Extension* eku, bool ca, bool no_check) {
  std::vector<std::string> purposes;
  if (eku) {
    DerReader r(read_single(eku->value, tag::kSequence, "extKeyUsage").content, "extKeyUsage");
    while (!r.at_end()) purposes.push_back(oid_text(r.next(tag::kOid).content));
  }
  if (std::ranges::find(purposes, oid::kAnyExtendedKeyUsage) != purposes.end()) report.add(LintRule::ExtKeyUsageAny);
  if (ca) return;
  if (std::ranges::find(purposes, oid::kOcspSigning) != purposes.end()) {
    if (purposes.size() != 1) report.add(LintRule::OcspSigningCombined);
    if (!no_check) report.add(LintRule::OcspSigningWithoutNoCheck);
    return;
  }
  const bool tls = std::ranges::any_of(purposes, [](const std::string& p) { return p == oid::kClientAuth || p == oid::kServerAuth; });
  if (!tls) report.add(LintRule::ExtKeyUsageMissing, eku ? "neither clientAuth nor serverAuth nor OCSPSigning" : "no extKeyUsage");
}

// AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription {accessMethod OID, accessLocation
// GeneralName}: every id-ad-ocsp location an http URI ([6] IA5String).
void check_authority_info_access(LintReport& report, const Extension* aia) {
  if (!aia) return;
  if (aia->critical) report.add(LintRule::AuthorityInfoAccessCritical);
  DerReader r(read_single(aia->value, tag::kSequence, "authorityInfoAccess").content, "authorityInfoAccess");
  if (r.at_end()) throw DerError("authorityInfoAccess: empty SEQUENCE");
  while (!r.at_end()) {
    DerReader d(r.next(tag::kSequence).content, "AccessDescription");
    const auto method = oid_text(d.next(tag::kOid).content);
    const auto location = d.next();
    d.expect_end();
    if (method != oid::kAccessOcsp) continue;
    const std::string uri(location.content.begin(), location.content.end());
    if (location.tag != tag::context(6, false) || !uri.starts_with("http://") || uri.size() <= 7)
      report.add(LintRule::AuthorityInfoAccessOcspNotHttp, uri);
  }
}

}  // namespace

BasicConstraintsValue basic_constraints(const CertificateParts& cert) {
  BasicConstraintsValue v;
  const auto* bc = find_extension(cert.extensions, oid::kBasicConstraints);
  if (!bc) return v;
  DerReader r(read_single(bc->value, tag::kSequence, "basicConstraints").content, "basicConstraints");
  if (auto ca = r.next_if(tag::kBoolean)) {
    v.ca = boolean_value(ca->content);
    if (!v.ca) throw DerError("basicConstraints encodes cA FALSE (DER omits DEFAULT values)");
  }
  v.has_path_len = r.next_if(tag::kInteger).has_value();
  r.expect_end();
  return v;
}

void check_extensions(LintReport& report, const CertificateParts& cert, bool self_signed) {
  if (!cert.has_extensions || cert.extensions.empty()) {
    report.add(LintRule::ExtensionsMissing);
    return;
  }
  std::set<std::string> seen;
  for (const auto& e : cert.extensions) {
    if (!seen.insert(e.oid).second) report.add(LintRule::ExtensionDuplicate, e.oid);
    if (e.critical && std::ranges::find(kProcessed, e.oid) == kProcessed.end())
      report.add(LintRule::ExtensionUnknownCritical, e.oid);
  }
  const auto bc = basic_constraints(cert);
  const auto* bc_ext = find_extension(cert.extensions, oid::kBasicConstraints);
  if (bc.ca && !bc_ext->critical) report.add(LintRule::BasicConstraintsNotCritical);
  if (!bc_ext) report.add(LintRule::BasicConstraintsMissing);
  if (!bc.ca && bc.has_path_len) report.add(LintRule::PathLenOnLeaf);

  check_key_usage(report, find_extension(cert.extensions, oid::kKeyUsage), bc.ca);
  check_ext_key_usage(report, find_extension(cert.extensions, oid::kExtKeyUsage), bc.ca,
                      find_extension(cert.extensions, oid::kOcspNoCheck) != nullptr);
  check_authority_info_access(report, find_extension(cert.extensions, oid::kAuthorityInfoAccess));

  const auto* ski = find_extension(cert.extensions, oid::kSubjectKeyId);
  if (!ski) report.add(LintRule::SubjectKeyIdMissing);
  const auto* aki = find_extension(cert.extensions, oid::kAuthorityKeyId);
  if (!self_signed && (!aki || !authority_key_id(*aki))) report.add(LintRule::AuthorityKeyIdMissing);
  if ((ski && ski->critical) || (aki && aki->critical)) report.add(LintRule::KeyIdExtensionCritical);
}

}  // namespace inkan::lint
