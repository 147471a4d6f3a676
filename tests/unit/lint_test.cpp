// ca/lint: what inkan issues lints clean; each rule fires on the fault it names. The corpus of
// bad certificates made with openssl is in tests/suites/test_lint.py; here are the faults that
// are easier to make by hand (DER encodings, serial and time edge cases).
#include <catch2/catch_test_macros.hpp>

#include <set>

#include "ca/lint/certificate_lint.hpp"
#include "ca/lint/field_checks.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using lint::LintRule;

namespace {

std::string rules_of(const lint::LintReport& r) { return r.describe(); }

service::IssueRequest terminal(const std::string& cn) {
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = cn;
  req.key_type = KeyType::EcP256;
  return req;
}

lint::LintReport serial_report(Bytes content) {
  lint::LintReport r;
  lint::check_serial(r, content, true);
  return r;
}

}  // namespace

TEST_CASE("certificates and CRLs inkan issues lint clean, for every key type") {
  service_test::CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  for (auto key : {KeyType::EcP256, KeyType::EcP384, KeyType::Rsa2048, KeyType::Rsa3072}) {
    service::IssueRequest req;
    req.tenant_id = "acme";
    req.common_name = "terminal-" + std::string(to_string(key));
    req.key_type = key;
    auto issued = issuer.issue(req);
    auto report = lint::lint_certificate(issued.record.cert_der, f.ca.issuing.cert_der);
    INFO(to_string(key) << "\n" << rules_of(report));
    CHECK(report.findings.empty());
  }
  auto root = lint::lint_certificate(f.ca.root.cert_der);
  INFO(rules_of(root));
  CHECK(root.findings.empty());
  auto issuing = lint::lint_certificate(f.ca.issuing.cert_der, f.ca.root.cert_der);
  INFO(rules_of(issuing));
  CHECK(issuing.findings.empty());

  service::Revocation revocation(*f.store, f.clock, f.actor);
  auto victim = issuer.issue(terminal("revoked"));
  revocation.revoke(victim.record.serial, RevocationReason::KeyCompromise);
  auto crl = revocation.publish_crl(keyring, *f.rng);
  auto crl_report = lint::lint_crl(crl.der, f.ca.issuing.cert_der);
  INFO(rules_of(crl_report));
  CHECK(crl_report.findings.empty());
}

TEST_CASE("the issuer checks catch a wrong issuer and a broken signature") {
  service_test::CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto der = issuer.issue(terminal("t1")).record.cert_der;

  auto wrong = lint::lint_certificate(der, f.ca.root.cert_der);
  CHECK(wrong.fired(LintRule::IssuerNameMismatch));
  CHECK(wrong.fired(LintRule::AuthorityKeyIdMismatch));
  CHECK(wrong.fired(LintRule::SignatureInvalid));

  auto tampered = der;
  tampered[tampered.size() - 5] ^= 0x01;  // inside the signature's BIT STRING
  auto broken = lint::lint_certificate(tampered, f.ca.issuing.cert_der);
  CHECK(broken.fired(LintRule::SignatureInvalid));
  CHECK(broken.has_errors());

  // The validity of the leaf against an issuer that expires first.
  auto early = lint::lint_certificate(f.ca.issuing.cert_der, der);
  CHECK(early.fired(LintRule::IssuerNameMismatch));
}

TEST_CASE("strict DER: BER forms and trailing bytes are malformed") {
  service_test::CaFixture f;
  auto der = f.ca.root.cert_der;

  auto trailing = der;
  trailing.push_back(0x00);
  CHECK(lint::lint_certificate(trailing).fired(LintRule::DerMalformed));

  // Re-encode the outer SEQUENCE's length in a longer form than needed (0x83 00 LL LL).
  REQUIRE(der[1] == 0x82);
  Bytes long_form{0x30, 0x83, 0x00, der[2], der[3]};
  long_form.insert(long_form.end(), der.begin() + 4, der.end());
  CHECK(lint::lint_certificate(long_form).fired(LintRule::DerMalformed));

  Bytes indefinite{0x30, 0x80};
  indefinite.insert(indefinite.end(), der.begin() + 4, der.end());
  indefinite.insert(indefinite.end(), {0x00, 0x00});
  CHECK(lint::lint_certificate(indefinite).fired(LintRule::DerMalformed));

  CHECK(lint::lint_certificate(Bytes{}).fired(LintRule::DerMalformed));
  CHECK(lint::lint_crl(der).fired(LintRule::DerMalformed));  // a certificate is not a CRL
}

TEST_CASE("serial rules: positive, minimal, at most 20 octets, at least 64 bits") {
  CHECK(serial_report({0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}).findings.empty());
  CHECK(serial_report({0x00, 0x01}).fired(LintRule::SerialNotMinimal));
  CHECK(serial_report({0x80, 1, 2, 3, 4, 5, 6, 7, 8}).fired(LintRule::SerialNotPositive));
  CHECK(serial_report({0x00}).fired(LintRule::SerialNotPositive));
  Bytes long_serial(21, 0x11);
  CHECK(serial_report(long_serial).fired(LintRule::SerialTooLong));
  // The bug class of the 63-bit serials: 8 octets with the top bit cleared.
  CHECK(serial_report({0x7F, 1, 2, 3, 4, 5, 6, 7}).fired(LintRule::SerialLowEntropy));
  CHECK_FALSE(serial_report({0x00, 0x80, 1, 2, 3, 4, 5, 6, 7}).fired(LintRule::SerialLowEntropy));
}

TEST_CASE("time rules: UTCTime through 2049, GeneralizedTime from 2050, seconds and Z required") {
  auto check = [](std::uint8_t tag, const std::string& text) {
    Bytes der{tag, static_cast<std::uint8_t>(text.size())};
    der.insert(der.end(), text.begin(), text.end());
    lint::LintReport r;
    auto parsed = lint::parse_time_element(der);
    lint::check_time(r, parsed, "t");
    return r;
  };
  CHECK(check(lint::tag::kUtcTime, "491231235959Z").findings.empty());
  CHECK(check(lint::tag::kGeneralizedTime, "20500101000000Z").findings.empty());
  CHECK(check(lint::tag::kGeneralizedTime, "20491231235959Z").fired(LintRule::TimeGeneralizedBefore2050));
  CHECK(check(lint::tag::kUtcTime, "4912312359Z").fired(LintRule::TimeEncodingFormat));
  CHECK(check(lint::tag::kUtcTime, "491231235959+0900").fired(LintRule::TimeEncodingFormat));
  CHECK(check(lint::tag::kGeneralizedTime, "20500101000000.5Z").fired(LintRule::TimeEncodingFormat));
  CHECK(check(lint::tag::kUtcTime, "490231235959Z").fired(LintRule::TimeEncodingFormat));  // 31 February
}

TEST_CASE("every rule has a unique id and a citation") {
  std::set<std::string_view> ids;
  for (const auto& r : lint::all_rules()) {
    CHECK(ids.insert(r.id).second);
    CHECK_FALSE(r.citation.empty());
    CHECK(&lint::info(r.rule) == &r);
    // zlint's convention, which `inkan lint --rules` shows: the prefix names the severity.
    INFO(r.id);
    CHECK(r.id.substr(0, 2) == (r.severity == lint::Severity::Error ? "e_" : "w_"));
  }
}
