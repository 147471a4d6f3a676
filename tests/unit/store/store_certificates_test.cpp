// Certificates: reserve -> commit, lineage, listing filters, revocation; on both store backends.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include <algorithm>

#include "store_test_support.hpp"

using namespace inkan;
using namespace inkan::store_test;

namespace {

// Each test case runs once per backend (GENERATE in the constructor's caller).
struct Fixture {
  explicit Fixture(const std::string& backend) : db(backend) {
    store->tenants().add(tenant("acme"));
    store->tenants().add(tenant("beta"));
    ca = store->cas().add(issuing_ca());
  }
  CertificateRepository& certs() { return store->certificates(); }
  TestDatabase db;
  std::unique_ptr<Store> store = db.open();
  std::int64_t ca = 0;
};

template <typename F>
ErrorCode error_code_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("expected an inkan::Error");
  return ErrorCode::Store;
}

std::vector<std::string> serials(const std::vector<CertificateRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.serial.hex());
  return out;
}

}  // namespace

TEST_CASE("store: reserve, commit and find round-trip every field", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  const Serial old_serial = issue(*f.store, 0x01, f.ca, "acme", at("2026-06-01"));

  const Serial serial = Serial::parse("7f:00:aa:bb:cc:dd:ee:ff:01:02:03:04:05:06:07:08");
  Reservation r = reservation(serial, f.ca, "acme", at("2027-09-08"));
  r.cn = "kasse-07 (Düsseldorf)";
  r.kind = CertKind::TenantAdmin;
  r.key_type = KeyType::EcP256;
  r.email = "ops@acme.example";
  r.requested_at = at("2024-09-08T10:11:12Z");
  r.not_before = at("2024-09-08");
  r.predecessor = old_serial;
  f.certs().reserve(r);

  const auto reserved = f.certs().find(serial);
  REQUIRE(reserved);
  CHECK(reserved->state == CertState::Reserved);
  CHECK_FALSE(reserved->issued_at.has_value());
  CHECK(reserved->sha256.empty());
  CHECK(reserved->cert_der.empty());
  CHECK_FALSE(reserved->has_credential);
  CHECK_FALSE(f.certs().credential(serial).has_value());

  IssuedCertificate issued = issued_for(serial, at("2024-09-08T10:11:13Z"));
  issued.credential->profile = P12Profile::Modern;
  f.certs().commit_issued(serial, issued);
  f.certs().set_notes(serial, "handed to the night shift");

  const auto c = f.certs().find(serial);
  REQUIRE(c);
  CHECK(c->serial == serial);
  CHECK(c->serial.hex() == "7F00AABBCCDDEEFF0102030405060708");
  CHECK(c->ca_id == f.ca);
  CHECK(c->tenant_id == "acme");
  CHECK(c->cn == r.cn);
  CHECK(c->kind == CertKind::TenantAdmin);
  CHECK(c->key_type == KeyType::EcP256);
  CHECK(c->email == r.email);
  CHECK(c->state == CertState::Active);
  CHECK(c->requested_at == r.requested_at);
  CHECK(c->issued_at == issued.issued_at);
  CHECK(c->not_before == r.not_before);
  CHECK(c->not_after == r.not_after);
  CHECK(c->sha256 == issued.sha256);
  CHECK(c->cert_der == issued.cert_der);
  CHECK(c->predecessor == old_serial);
  CHECK_FALSE(c->successor.has_value());
  CHECK_FALSE(c->revoked_at.has_value());
  CHECK_FALSE(c->revocation_reason.has_value());
  CHECK(c->notes == "handed to the night shift");
  CHECK(c->has_credential);

  const auto cred = f.certs().credential(serial);
  REQUIRE(cred);
  CHECK(cred->p12 == issued.credential->p12);
  CHECK(cred->profile == P12Profile::Modern);
  CHECK(cred->password_nonce == issued.credential->password_nonce);
  CHECK(cred->password_ciphertext == issued.credential->password_ciphertext);

  const auto by_hash = f.certs().find_by_sha256(issued.sha256);
  REQUIRE(by_hash);
  CHECK(by_hash->serial == serial);
  CHECK_FALSE(f.certs().find_by_sha256(std::string(64, '0')).has_value());
}

TEST_CASE("store: a certificate signed from a CSR has no credential", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  const Serial s = Serial::from_bytes({0x42});
  f.certs().reserve(reservation(s, f.ca, "acme", at("2027-01-01")));
  IssuedCertificate issued = issued_for(s, at("2024-01-01"));
  issued.credential.reset();
  f.certs().commit_issued(s, issued);
  CHECK_FALSE(f.certs().find(s)->has_credential);
  CHECK_FALSE(f.certs().credential(s).has_value());
}

TEST_CASE("store: reservation errors name the problem", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  const Serial s = issue(*f.store, 0x01, f.ca, "acme", at("2027-01-01"));

  SECTION("duplicate serial") {
    CHECK(error_code_of([&] {
            f.certs().reserve(reservation(s, f.ca, "beta", at("2027-01-01")));
          }) == ErrorCode::AlreadyExists);
  }
  SECTION("unknown tenant") {
    try {
      f.certs().reserve(reservation(Serial::from_bytes({9}), f.ca, "nobody", at("2027-01-01")));
      FAIL("expected NotFound");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::NotFound);
      CHECK(std::string(e.what()) == "unknown tenant 'nobody'");
    }
  }
  SECTION("unknown CA") {
    CHECK(error_code_of([&] {
            f.certs().reserve(
                reservation(Serial::from_bytes({9}), f.ca + 7, "acme", at("2027-01-01")));
          }) == ErrorCode::NotFound);
  }
  SECTION("one successor per certificate") {
    Reservation first = reservation(Serial::from_bytes({0x10}), f.ca, "acme", at("2028-01-01"));
    first.predecessor = s;
    f.certs().reserve(first);
    Reservation second = reservation(Serial::from_bytes({0x11}), f.ca, "acme", at("2028-01-01"));
    second.predecessor = s;
    CHECK(error_code_of([&] { f.certs().reserve(second); }) == ErrorCode::AlreadyExists);
    // Dropping the first reservation frees the slot for a retry.
    f.certs().drop_reservation(first.serial);
    f.certs().reserve(second);
  }
  SECTION("the same fingerprint twice") {
    const Serial other = Serial::from_bytes({0x77});
    f.certs().reserve(reservation(other, f.ca, "acme", at("2027-01-01")));
    IssuedCertificate issued = issued_for(other, at("2024-01-01"));
    issued.sha256 = f.certs().find(s)->sha256;
    CHECK(error_code_of([&] { f.certs().commit_issued(other, issued); }) ==
          ErrorCode::AlreadyExists);
    CHECK(f.certs().find(other)->state == CertState::Reserved);
  }
}

TEST_CASE("store: commit and drop only apply to reservations", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  const Serial s = issue(*f.store, 0x01, f.ca, "acme", at("2027-01-01"));
  CHECK(error_code_of([&] { f.certs().commit_issued(s, issued_for(s, at("2024-02-02"))); }) ==
        ErrorCode::InvalidState);
  CHECK(error_code_of([&] {
          f.certs().commit_issued(Serial::from_bytes({0x99}), issued_for(s, at("2024-02-02")));
        }) == ErrorCode::InvalidState);
  CHECK(error_code_of([&] { f.certs().drop_reservation(s); }) == ErrorCode::InvalidState);
  CHECK(f.certs().find(s)->state == CertState::Active);
}

TEST_CASE("store: a dropped reservation leaves no trace", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  const Serial s = Serial::from_bytes({0x33});
  f.certs().reserve(reservation(s, f.ca, "acme", at("2027-01-01")));
  REQUIRE(f.certs().reservations().size() == 1);
  CHECK(f.certs().reservations()[0].serial == s);

  f.certs().drop_reservation(s);
  CHECK_FALSE(f.certs().find(s).has_value());
  CHECK(f.certs().reservations().empty());
  f.certs().drop_reservation(s);  // dropping twice is harmless
}

TEST_CASE("store: list filters by derived status, tenant and expiry, in order", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  const Timestamp now = at("2025-06-01");
  // Issued in byte order; not_after deliberately not in that order.
  const Serial active_late = issue(*f.store, 0x01, f.ca, "acme", at("2027-01-01"));
  const Serial active_soon = issue(*f.store, 0x02, f.ca, "acme", at("2025-06-20"));
  const Serial expired = issue(*f.store, 0x03, f.ca, "acme", at("2025-05-01"));
  const Serial revoked = issue(*f.store, 0x04, f.ca, "beta", at("2026-01-01"));
  const Serial beta_active = issue(*f.store, 0x05, f.ca, "beta", at("2025-06-10"));
  const Serial reserved = Serial::from_bytes({0x06});
  f.certs().reserve(reservation(reserved, f.ca, "acme", at("2028-01-01")));
  f.certs().revoke(revoked, RevocationReason::KeyCompromise, at("2025-02-01"));
  // Expiry at exactly `now` counts as expired (notAfter <= now).
  const Serial expires_now = issue(*f.store, 0x07, f.ca, "beta", now);

  CertificateFilter all;
  all.now = now;
  CHECK(serials(f.certs().list(all)) ==
        std::vector<std::string>{expired.hex(), expires_now.hex(), beta_active.hex(),
                                 active_soon.hex(), revoked.hex(), active_late.hex()});

  SECTION("reserved rows only on request") {
    CertificateFilter with_reserved = all;
    with_reserved.include_reserved = true;
    CHECK(f.certs().list(with_reserved).size() == 7);
  }
  SECTION("status is derived at filter.now and agrees with status_at") {
    for (CertStatus status : {CertStatus::Active, CertStatus::Expired, CertStatus::Revoked,
                              CertStatus::Superseded}) {
      CertificateFilter by_status = all;
      by_status.status = status;
      for (const auto& c : f.certs().list(by_status)) CHECK(c.status_at(now) == status);
    }
    CertificateFilter expired_only = all;
    expired_only.status = CertStatus::Expired;
    CHECK(serials(f.certs().list(expired_only)) ==
          std::vector<std::string>{expired.hex(), expires_now.hex()});
    CertificateFilter active_only = all;
    active_only.status = CertStatus::Active;
    CHECK(f.certs().list(active_only).size() == 3);
    CertificateFilter revoked_only = all;
    revoked_only.status = CertStatus::Revoked;
    CHECK(serials(f.certs().list(revoked_only)) == std::vector<std::string>{revoked.hex()});
    // Later, the revoked one stays revoked although it is past notAfter.
    revoked_only.now = at("2030-01-01");
    CHECK(f.certs().list(revoked_only).size() == 1);
  }
  SECTION("tenant") {
    CertificateFilter beta = all;
    beta.tenant_id = "beta";
    CHECK(serials(f.certs().list(beta)) ==
          std::vector<std::string>{expires_now.hex(), beta_active.hex(), revoked.hex()});
  }
  SECTION("expiring before a date excludes what has already expired") {
    CertificateFilter expiring = all;
    expiring.expiring_before = at("2025-07-01");
    CHECK(serials(f.certs().list(expiring)) ==
          std::vector<std::string>{beta_active.hex(), active_soon.hex()});
    expiring.tenant_id = "acme";
    expiring.status = CertStatus::Active;
    CHECK(serials(f.certs().list(expiring)) == std::vector<std::string>{active_soon.hex()});
  }
  SECTION("limit and offset page through the same order") {
    CertificateFilter page = all;
    page.limit = 2;
    page.offset = 1;
    CHECK(serials(f.certs().list(page)) ==
          std::vector<std::string>{expires_now.hex(), beta_active.hex()});
    page.offset = 5;
    CHECK(serials(f.certs().list(page)) == std::vector<std::string>{active_late.hex()});
    page.limit = 0;  // no limit
    page.offset = 4;
    CHECK(f.certs().list(page).size() == 2);
  }
}

TEST_CASE("store: revoke records time and reason and feeds revoked()", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  const Serial a = issue(*f.store, 0x01, f.ca, "acme", at("2027-01-01"));
  const Serial b = issue(*f.store, 0x02, f.ca, "acme", at("2027-01-01"));
  issue(*f.store, 0x03, f.ca, "acme", at("2027-01-01"));
  f.certs().revoke(b, RevocationReason::CessationOfOperation, at("2025-03-02"));
  f.certs().revoke(a, RevocationReason::KeyCompromise, at("2025-03-01"));

  const auto c = f.certs().find(a);
  CHECK(c->state == CertState::Revoked);
  CHECK(c->revoked_at == at("2025-03-01"));
  CHECK(c->revocation_reason == RevocationReason::KeyCompromise);

  const auto entries = f.certs().revoked(f.ca);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].serial == a);  // ordered by revocation time
  CHECK(entries[0].reason == RevocationReason::KeyCompromise);
  CHECK(entries[0].revoked_at == at("2025-03-01"));
  CHECK(entries[1].serial == b);
  CHECK(entries[1].reason == RevocationReason::CessationOfOperation);
  CHECK(f.certs().revoked(f.ca + 1).empty());

  CHECK(error_code_of([&] { f.certs().revoke(a, RevocationReason::Unspecified, at("2025-04-01")); }) ==
        ErrorCode::InvalidState);
  CHECK(f.certs().find(a)->revocation_reason == RevocationReason::KeyCompromise);
  CHECK(error_code_of([&] {
          f.certs().revoke(Serial::from_bytes({0x99}), RevocationReason::Unspecified,
                           at("2025-04-01"));
        }) == ErrorCode::NotFound);

  const Serial reserved = Serial::from_bytes({0x44});
  f.certs().reserve(reservation(reserved, f.ca, "acme", at("2027-01-01")));
  CHECK(error_code_of([&] {
          f.certs().revoke(reserved, RevocationReason::Unspecified, at("2025-04-01"));
        }) == ErrorCode::InvalidState);
}

TEST_CASE("store: set_notes on an unknown serial is NotFound", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  Fixture f(backend);
  CHECK(error_code_of([&] { f.certs().set_notes(Serial::from_bytes({0x12}), "x"); }) ==
        ErrorCode::NotFound);
}
