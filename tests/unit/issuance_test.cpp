// Issuance through the real service, store and crypto: serial rules over 1,000 certificates,
// the issuance order, and what a failed issuance leaves behind.
#include <catch2/catch_test_macros.hpp>

#include <set>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/pkcs12/pkcs12.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;

TEST_CASE("1,000 issued serials: unique, positive, >= 64 random bits, <= 20 octets") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  std::set<std::string> serials;
  std::size_t max_len = 0, min_len = 99;
  for (int i = 0; i < 1000; ++i) {
    service::IssueRequest req;
    req.tenant_id = "acme";
    req.common_name = "terminal-" + std::to_string(i);
    req.key_type = KeyType::EcP256;
    auto cred = issuer.issue(req);
    auto info = crypto::inspect_certificate(cred.record.cert_der);
    REQUIRE(info.serial == cred.record.serial);
    const auto& b = cred.record.serial.bytes();
    REQUIRE((b[0] & 0x80) == 0);  // positive without a leading zero octet
    max_len = std::max(max_len, b.size());
    min_len = std::min(min_len, b.size());
    serials.insert(cred.record.serial.hex());
  }
  CHECK(serials.size() == 1000);
  CHECK(min_len == 16);  // 126 random bits in 16 octets, every time
  CHECK(max_len == 16);
  CertificateFilter all;
  all.now = f.clock.now();
  CHECK(f.store->certificates().list(all).size() == 1000);
  CHECK(f.store->certificates().reservations().empty());
}

TEST_CASE("the p12 holds the key, the leaf and the chain, under the returned password") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest req{"acme", "client300", CertKind::Terminal, KeyType::EcP256, {}, {}, {}, P12Profile::Modern};
  auto cred = issuer.issue(req);
  auto contents = crypto::parse_pkcs12(cred.p12, cred.password);
  CHECK(contents.cert_der == cred.record.cert_der);
  REQUIRE(contents.chain_der.size() == 2);
  CHECK(contents.chain_der[0] == f.ca.issuing.cert_der);
  CHECK(contents.chain_der[1] == f.ca.root.cert_der);
  CHECK(contents.friendly_name == "client300 (2026-01-15)");
  CHECK(cred.file_stem == "acme_client300_" + cred.record.serial.hex().substr(0, 8));
  CHECK(format_date(cred.record.not_after) == "2029-01-15");
  CHECK(cred.record.state == CertState::Active);
  CHECK(cred.record.has_credential);
}

TEST_CASE("a certificate that would outlive the issuing CA is refused, naming its expiry") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = "too-long";
  req.key_type = KeyType::EcP256;
  req.validity = Validity{11, 0, 0};
  try {
    issuer.issue(req);
    FAIL("issued a certificate outliving its CA");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::PolicyViolation);
    CHECK(std::string(e.what()).find(format_date(f.ca.issuing.not_after)) != std::string::npos);
  }
  CertificateFilter all;
  all.now = f.clock.now();
  all.include_reserved = true;
  CHECK(f.store->certificates().list(all).empty());
}

TEST_CASE("unknown tenant: nothing is reserved") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest req;
  req.tenant_id = "nobody";
  req.common_name = "x";
  req.key_type = KeyType::EcP256;
  try {
    issuer.issue(req);
    FAIL("issued for an unknown tenant");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::NotFound);
    CHECK(std::string(e.what()).find("nobody") != std::string::npos);
  }
  CHECK(f.store->certificates().reservations().empty());
}

TEST_CASE("a wrong passphrase unlocks nothing") {
  CaFixture f;
  try {
    service::Keyring::unlock(*f.store, "not the passphrase");
    FAIL("unlocked with a wrong passphrase");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::WrongPassphrase);
  }
}

TEST_CASE("every issuance is in the audit chain") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = "audited";
  req.key_type = KeyType::EcP256;
  auto cred = issuer.issue(req);
  auto events = f.store->audit().list(1, 0);
  REQUIRE(events.size() == 1);
  CHECK(events[0].action == "cert.issue");
  CHECK(events[0].object == "cert:" + cred.record.serial.hex());
  CHECK(events[0].actor == "test:fixture");
  CHECK(f.store->audit().verify().ok);
}
