#include "ca/lint/certificate_lint.hpp"

#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/lint/extension_checks.hpp"
#include "ca/lint/field_checks.hpp"
#include "ca/lint/key_checks.hpp"

namespace inkan::lint {
namespace {

void check_names(LintReport& report, const CertificateParts& cert, bool ca) {
  if (cert.issuer.empty) report.add(LintRule::IssuerEmpty);
  if (ca && cert.subject.empty) report.add(LintRule::SubjectEmpty);
  if (!cert.subject.has_common_name) report.add(LintRule::SubjectCommonNameMissing);
}

void check_validity(LintReport& report, const CertificateParts& cert) {
  check_time(report, cert.not_before, "notBefore");
  check_time(report, cert.not_after, "notAfter");
  if (cert.not_before.value && cert.not_after.value && *cert.not_before.value >= *cert.not_after.value)
    report.add(LintRule::ValidityInverted, cert.not_before.text + " / " + cert.not_after.text);
}

void check_subject_key_id(LintReport& report, const CertificateParts& cert) {
  const auto* ski = find_extension(cert.extensions, oid::kSubjectKeyId);
  if (!ski) return;
  const Bytes spki(cert.public_key.whole.begin(), cert.public_key.whole.end());
  Bytes computed;
  try {
    computed = crypto::subject_key_id_of(spki);
  } catch (const std::exception& e) {
    // Botan's decoder refuses some SPKIs our reader accepts (an OID arc beyond 32 bits, found
    // by tests/fuzz/fuzz_lint): a finding, never an exception out of the linter.
    report.add(LintRule::DerMalformed, std::string("subjectPublicKeyInfo: ") + e.what());
    return;
  }
  if (!same_bytes(subject_key_id(*ski), computed))
    report.add(LintRule::SubjectKeyIdMismatch, hex(subject_key_id(*ski)));
}

// Everything that needs the issuer: name, key id, validity and signature.
void check_against_issuer(LintReport& report, const Bytes& der, const CertificateParts& cert,
                          const Bytes& issuer_der, const LintOptions& options) {
  const auto issuer = parse_certificate(issuer_der);
  check_issuer_link(report, cert.issuer, cert.extensions, issuer);
  if (cert.not_after.value && issuer.not_after.value && *cert.not_after.value > *issuer.not_after.value)
    report.add(LintRule::ValidityBeyondIssuer, cert.not_after.text + " after " + issuer.not_after.text);
  if (options.verify_signature && !crypto::signature_verifies(der, crypto::SignedObject::Certificate, issuer_der))
    report.add(LintRule::SignatureInvalid);
}

}  // namespace

LintReport lint_certificate(const Bytes& der, const std::optional<Bytes>& issuer_der, LintOptions options) {
  LintReport report;
  try {
    const auto cert = parse_certificate(der);
    const bool self_signed = same_bytes(cert.issuer.whole, cert.subject.whole);
    const auto bc = basic_constraints(cert);
    if (cert.version != 2) report.add(LintRule::CertVersionNotV3, "version field " + std::to_string(cert.version));
    check_serial(report, cert.serial.content, true);
    check_signature_algorithm(report, cert.tbs_signature_algorithm, cert.signature_algorithm, cert.signature_algorithm_oid);
    check_names(report, cert, bc.ca);
    check_validity(report, cert);
    check_extensions(report, cert, self_signed);
    check_subject_key_id(report, cert);
    check_public_key(report, cert.public_key);
    if (issuer_der) check_against_issuer(report, der, cert, *issuer_der, options);
    else if (self_signed) check_against_issuer(report, der, cert, der, options);
  } catch (const DerError& e) {
    report.add(LintRule::DerMalformed, e.what());
  }
  return report;
}

}  // namespace inkan::lint
