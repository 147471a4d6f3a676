// CA rollover (issue 3 item 6): with the root online in one step, with an offline root through
// csr -> root sign -> import; old and new issuing CAs both keep working afterwards.
#include <catch2/catch_test_macros.hpp>

#include <fstream>
#include <sstream>

#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/csr.hpp"
#include "ca/crypto/x509/csr_request.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/keys/ca_rollover.hpp"
#include "ca/service/doctor.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/service/keys/root_signing.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;

namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string pem(const Bytes& der, const char* label) { return crypto::pem_encode(der, label); }

CertificateRecord issue(service::Issuer& issuer, const std::string& cn) {
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = cn;
  req.key_type = KeyType::EcP256;
  return issuer.issue(req).record;
}

// Like CaFixture, but the root key only in DIR/root.pem (`inkan init --offline-root`).
struct OfflineFixture {
  store_test::TempDir dir;
  FixedClock clock{parse_date_or_time("2026-01-15T09:00:00Z")};
  std::unique_ptr<crypto::Rng> rng = crypto::Rng::system();
  std::unique_ptr<Store> store;
  service::Actor actor{"test:offline"};
  service::InitResult ca;
  std::filesystem::path root_file;

  OfflineFixture(std::string name = "Offline", std::string sub = "data") {
    store = service::open_or_create_data_dir(dir.path() / sub);
    root_file = dir.path() / "root.pem";
    service::InitOptions o;
    o.name = std::move(name);
    o.root_key = KeyType::EcP256;
    o.issuing_key = KeyType::EcP256;
    o.offline_root = root_file;
    ca = service::initialise_ca(*store, clock, *rng, kPassphrase, o, actor);
    service::Tenants(*store, clock, actor).add("acme", "Acme Care");
  }
  service::Keyring unlock() { return service::Keyring::unlock(*store, kPassphrase); }
  Bytes root_sign(const Bytes& csr_der) {
    auto root = service::load_root_file(read_text(root_file), kPassphrase);
    return service::sign_issuing_ca_csr(root, pem(csr_der, "CERTIFICATE REQUEST"), clock.now(),
                                        policy::kDefaultIssuingValidity, *rng);
  }
};

template <typename F>
ErrorCode error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("expected an inkan::Error");
  return ErrorCode::Crypto;
}

}  // namespace

TEST_CASE("rollover with the root held: a new active issuing CA, the old one keeps its key", "[rollover]") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto old_cert = issue(issuer, "before");

  service::CaRollover roll(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto fresh = roll.rollover({});
  CHECK(fresh.active);
  CHECK(fresh.parent_id == f.ca.root.id);
  CHECK(fresh.key_type == KeyType::EcP256);  // the current issuing CA's type by default
  CHECK(fresh.subject.find("Fixture Issuing CA 2026 G2") != std::string::npos);
  CHECK(format_date(fresh.not_after) == "2036-01-15");
  CHECK(crypto::is_signed_by(fresh.cert_der, f.ca.root.cert_der));
  CHECK(crypto::may_sign_certificates(fresh.cert_der));

  auto old = f.store->cas().find(f.ca.issuing.id);
  REQUIRE(old);
  CHECK_FALSE(old->active);
  CHECK_FALSE(old->encrypted_key_pem.empty());
  CHECK(f.store->cas().active_issuing()->id == fresh.id);

  // New certificates chain to the new CA, the old one still verifies against the old CA.
  auto new_cert = issue(issuer, "after");
  CHECK(new_cert.ca_id == fresh.id);
  CHECK(crypto::is_signed_by(new_cert.cert_der, fresh.cert_der));
  CHECK(crypto::is_signed_by(old_cert.cert_der, f.ca.issuing.cert_der));
  CHECK_FALSE(crypto::is_signed_by(new_cert.cert_der, f.ca.issuing.cert_der));

  // A third issuing CA in the same year gets its own name too.
  auto third = roll.rollover({KeyType::EcP384, Validity{5, 0, 0}, std::nullopt});
  CHECK(third.subject.find("Fixture Issuing CA 2026 G3") != std::string::npos);
  CHECK(third.key_type == KeyType::EcP384);
  CHECK(f.store->cas().find(fresh.id)->active == false);

  auto events = f.store->audit().list(50, 0);
  CHECK(std::count_if(events.begin(), events.end(), [](const AuditEvent& e) { return e.action == "ca.rollover"; }) == 2);
  CHECK(f.store->audit().verify().ok);
}

TEST_CASE("after a rollover each issuing CA signs the CRL of its own certificates", "[rollover]") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto old_revoked = issue(issuer, "old-revoked");
  issue(issuer, "old-kept");
  service::CaRollover roll(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto fresh = roll.rollover({});
  auto new_revoked = issue(issuer, "new-revoked");

  service::Revocation revocation(*f.store, f.clock, f.actor);
  revocation.revoke(old_revoked.serial, RevocationReason::KeyCompromise);
  revocation.revoke(new_revoked.serial, RevocationReason::Superseded);

  auto signers = service::crl_signing_cas(*f.store);
  REQUIRE(signers.size() == 2);
  CHECK(signers[0].id == f.ca.issuing.id);
  CHECK(signers[1].id == fresh.id);

  auto old_crl = revocation.publish_crl(keyring, *f.rng, service::kDefaultCrlLifetime, f.ca.issuing.id);
  auto new_crl = revocation.publish_crl(keyring, *f.rng);  // default: the active CA
  CHECK(old_crl.entries == 1);
  CHECK(new_crl.entries == 1);
  CHECK(f.store->certificates().revoked(f.ca.issuing.id).front().serial == old_revoked.serial);
  CHECK(f.store->certificates().revoked(fresh.id).front().serial == new_revoked.serial);
  CHECK(old_crl.number == 1);
  CHECK(new_crl.number == 1);  // numbered per CA
}

TEST_CASE("offline root: csr, root sign elsewhere, import activates the pending key", "[rollover]") {
  OfflineFixture f;
  auto keyring = f.unlock();
  service::CaRollover roll(*f.store, keyring, f.clock, *f.rng, f.actor);

  try {
    roll.rollover({});
    FAIL("rollover must refuse without the root key");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::InvalidState);
    CHECK(std::string(e.what()).find("inkan ca csr") != std::string::npos);
    CHECK(std::string(e.what()).find("inkan root sign") != std::string::npos);
    CHECK(std::string(e.what()).find("inkan ca import") != std::string::npos);
  }

  auto req = roll.request(std::nullopt, false);
  CHECK(req.subject.common_name == "Offline Issuing CA 2026 G2");
  CHECK(req.key_type == KeyType::EcP256);
  auto pending = f.store->cas().pending_issuing();
  REQUIRE(pending);
  CHECK(pending->encrypted_key_pem.find("BEGIN ENCRYPTED PRIVATE KEY") != std::string::npos);
  CHECK(error_of([&] { roll.request(std::nullopt, false); }) == ErrorCode::AlreadyExists);

  auto cert = f.root_sign(req.csr_der);
  auto info = crypto::inspect_certificate(cert);
  CHECK(info.is_ca);
  CHECK(info.subject_dn.common_name == "Offline Issuing CA 2026 G2");

  auto imported = roll.import(pem(cert, "CERTIFICATE"));
  CHECK(imported.active);
  CHECK(imported.parent_id == f.ca.root.id);
  CHECK_FALSE(f.store->cas().pending_issuing());
  CHECK_FALSE(f.store->cas().find(f.ca.issuing.id)->active);

  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto leaf = issue(issuer, "after-import");
  CHECK(leaf.ca_id == imported.id);
  CHECK(crypto::is_signed_by(leaf.cert_der, cert));
  // Import of the same certificate again: nothing is pending any more.
  CHECK(error_of([&] { roll.import(pem(cert, "CERTIFICATE")); }) == ErrorCode::InvalidState);
}

TEST_CASE("import refuses a certificate for another key or from another root, changing nothing", "[rollover]") {
  OfflineFixture f;
  OfflineFixture stranger("Stranger", "other");
  auto keyring = f.unlock();
  service::CaRollover roll(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto req = roll.request(std::nullopt, false);

  auto before_cas = f.store->cas().list().size();
  auto before_audit = f.store->audit().verify().entries;
  auto before_pending = f.store->cas().pending_issuing()->csr_der;

  // Our root, but for a key that is not the pending one.
  auto other_key = crypto::PrivateKey::generate(KeyType::EcP256, *f.rng);
  auto other_csr = crypto::create_ca_csr(req.subject, other_key, *f.rng);
  auto wrong_key = f.root_sign(other_csr);
  try {
    roll.import(pem(wrong_key, "CERTIFICATE"));
    FAIL("expected a refusal");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::PolicyViolation);
    CHECK(std::string(e.what()).find("not for the pending issuing CA key") != std::string::npos);
  }

  // The pending key, but signed by a root that is not ours (same O would be refused as well).
  auto foreign_root = service::load_root_file(read_text(stranger.root_file), kPassphrase);
  auto foreign = service::sign_issuing_ca(foreign_root, req.subject,
                                          crypto::parse_csr(pem(req.csr_der, "CERTIFICATE REQUEST")).public_key_der,
                                          f.clock.now(), Validity{5, 0, 0}, *f.rng);
  try {
    roll.import(pem(foreign, "CERTIFICATE"));
    FAIL("expected a refusal");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::PolicyViolation);
    CHECK(std::string(e.what()).find("not signed by this CA's root") != std::string::npos);
  }
  CHECK(error_of([&] { roll.import("not a certificate"); }) == ErrorCode::InvalidArgument);

  CHECK(f.store->cas().list().size() == before_cas);
  CHECK(f.store->audit().verify().entries == before_audit);
  CHECK(f.store->cas().pending_issuing()->csr_der == before_pending);
  CHECK(f.store->cas().active_issuing()->id == f.ca.issuing.id);
}

TEST_CASE("root sign: the issuing-CA profile only, for our own O, within the root", "[rollover]") {
  OfflineFixture f;
  auto root = service::load_root_file(read_text(f.root_file), kPassphrase);
  CHECK(error_of([&] { service::load_root_file(read_text(f.root_file), "wrong passphrase!"); }) ==
        ErrorCode::WrongPassphrase);
  CHECK(error_of([&] { service::load_root_file("-----BEGIN CERTIFICATE-----\n", kPassphrase); }) ==
        ErrorCode::InvalidArgument);

  auto key = crypto::PrivateKey::generate(KeyType::EcP256, *f.rng);
  auto client_csr = crypto::create_ca_csr({"laptop-7", "Acme Care"}, key, *f.rng);
  CHECK(error_of([&] {
          service::sign_issuing_ca_csr(root, pem(client_csr, "CERTIFICATE REQUEST"), f.clock.now(),
                                       Validity{10, 0, 0}, *f.rng);
        }) == ErrorCode::PolicyViolation);

  auto ours = crypto::create_ca_csr({"Offline Issuing CA 2026 G2", "Offline"}, key, *f.rng);
  CHECK(error_of([&] {
          service::sign_issuing_ca_csr(root, pem(ours, "CERTIFICATE REQUEST"), f.clock.now(),
                                       Validity{25, 0, 0}, *f.rng);
        }) == ErrorCode::PolicyViolation);  // past the root's 20 years
  auto der = service::sign_issuing_ca_csr(root, pem(ours, "CERTIFICATE REQUEST"), f.clock.now(),
                                          Validity{10, 0, 0}, *f.rng);
  CHECK(crypto::may_sign_certificates(der));
  CHECK(crypto::is_signed_by(der, f.ca.root.cert_der));
}

TEST_CASE("doctor suggests a rollover when the issuing CA cannot cover 3 years", "[rollover]") {
  CaFixture f;
  f.clock.set(parse_date_or_time("2033-06-01T00:00:00Z"));  // issuing CA ends 2036-01-15
  auto find = [&](const service::DoctorReport& r) {
    for (const auto& x : r.findings)
      if (x.check == "ca-expiry" && x.severity == service::Severity::Warning) return x.message;
    return std::string();
  };
  auto before = service::run_doctor(*f.store, f.clock, {}, f.actor);
  CHECK(find(before).find("inkan ca rollover") != std::string::npos);

  auto keyring = f.unlock();
  service::CaRollover(*f.store, keyring, f.clock, *f.rng, f.actor).rollover({});
  auto after = service::run_doctor(*f.store, f.clock, {}, f.actor);
  CHECK(find(after).empty());
  CHECK(after.healthy());
}
