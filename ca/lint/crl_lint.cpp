#include <set>

#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/lint/certificate_lint.hpp"
#include "ca/lint/field_checks.hpp"

namespace inkan::lint {
namespace {

// RFC 5280 §5.3.1: 0-10 without 7.
bool defined_reason(long code) { return code >= 0 && code <= 10 && code != 7; }

void check_crl_number(LintReport& report, const CrlParts& crl) {
  const auto* number = find_extension(crl.extensions, oid::kCrlNumber);
  if (!number) {
    report.add(LintRule::CrlNumberMissing);
    return;
  }
  if (number->critical) report.add(LintRule::CrlNumberCritical);
  const auto value = read_single(number->value, tag::kInteger, "cRLNumber").content;
  if (value.empty() || (value[0] & 0x80)) report.add(LintRule::CrlNumberInvalid, "negative");
  else if (value.size() > 20 + (value[0] == 0 ? 1u : 0u)) report.add(LintRule::CrlNumberInvalid, std::to_string(value.size()) + " octets");
}

void check_entries(LintReport& report, const CrlParts& crl) {
  if (crl.has_revoked_list && crl.revoked.empty()) report.add(LintRule::CrlEmptyRevokedList);
  std::set<std::string> serials;
  for (const auto& entry : crl.revoked) {
    const auto serial = hex(entry.serial.content);
    if (!serials.insert(serial).second) report.add(LintRule::CrlEntrySerialDuplicate, serial);
    check_serial(report, entry.serial.content, false);
    check_time(report, entry.date, "revocationDate of " + serial);
    if (entry.date.value && crl.this_update.value && *entry.date.value > *crl.this_update.value)
      report.add(LintRule::CrlEntryDateAfterThisUpdate, serial);
    if (const auto* reason = find_extension(entry.extensions, oid::kReasonCode)) {
      const auto code = read_single(reason->value, tag::kEnumerated, "reasonCode").content;
      const long value = code.size() == 1 ? code[0] : -1;
      if (!defined_reason(value)) report.add(LintRule::CrlEntryReasonInvalid, serial);
      else if (value == 0) report.add(LintRule::CrlEntryReasonUnspecified, serial);
    }
  }
}

void check_against_issuer(LintReport& report, const Bytes& der, const CrlParts& crl, const Bytes& issuer_der) {
  check_issuer_link(report, crl.issuer, crl.extensions, parse_certificate(issuer_der));
  if (!crypto::signature_verifies(der, crypto::SignedObject::Crl, issuer_der)) report.add(LintRule::SignatureInvalid);
}

}  // namespace

LintReport lint_crl(const Bytes& der, const std::optional<Bytes>& issuer_der) {
  LintReport report;
  try {
    const auto crl = parse_crl(der);
    if (crl.version != 1) report.add(LintRule::CrlVersionNotV2);
    check_signature_algorithm(report, crl.tbs_signature_algorithm, crl.signature_algorithm, crl.signature_algorithm_oid);
    if (crl.issuer.empty) report.add(LintRule::IssuerEmpty);
    check_time(report, crl.this_update, "thisUpdate");
    if (!crl.next_update) report.add(LintRule::CrlNextUpdateMissing);
    else {
      check_time(report, *crl.next_update, "nextUpdate");
      if (crl.this_update.value && crl.next_update->value && *crl.next_update->value <= *crl.this_update.value)
        report.add(LintRule::CrlDatesInverted);
    }
    check_crl_number(report, crl);
    const auto* aki = find_extension(crl.extensions, oid::kAuthorityKeyId);
    if (!aki || !authority_key_id(*aki)) report.add(LintRule::CrlAuthorityKeyIdMissing);
    if (aki && aki->critical) report.add(LintRule::KeyIdExtensionCritical);
    check_entries(report, crl);
    if (issuer_der) check_against_issuer(report, der, crl, *issuer_der);
  } catch (const DerError& e) {
    report.add(LintRule::DerMalformed, e.what());
  }
  return report;
}

}  // namespace inkan::lint
