// Renewal and reissue through the real services and SQLite file, dates set by an injected clock.
#include <catch2/catch_test_macros.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;

namespace {

// Issues an ec-p256 terminal certificate that has `days_left` days of validity at f.clock.
CertificateRecord issue_with_days_left(CaFixture& f, service::Keyring& keyring, int days_left,
                                       const std::string& cn = "client300") {
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = cn;
  req.key_type = KeyType::EcP256;
  req.email = "terminal@example.org";
  req.not_before = add(f.clock.now() + std::chrono::days(days_left), Validity{-3, 0, 0});
  return issuer.issue(req).record;
}

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("no error was raised");
  return ErrorCode::InvalidArgument;
}

}  // namespace

TEST_CASE("80 days left: renews with a new key, same identity, fresh 3 years; old is superseded", "[renewal]") {
  CaFixture f;
  auto keyring = f.unlock();
  auto old = issue_with_days_left(f, keyring, 80);
  service::Renewer renewer(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto r = renewer.renew(old.serial, {});
  CHECK_FALSE(r.already_renewed);
  const auto& fresh = r.credential.record;
  CHECK(fresh.cn == old.cn);
  CHECK(fresh.tenant_id == old.tenant_id);
  CHECK(fresh.kind == old.kind);
  CHECK(fresh.email == old.email);
  CHECK(fresh.key_type == old.key_type);
  CHECK(fresh.not_before == f.clock.now());
  CHECK(fresh.not_after == add(f.clock.now(), Validity{3, 0, 0}));
  CHECK(fresh.predecessor == old.serial);
  auto old_info = crypto::inspect_certificate(old.cert_der);
  auto new_info = crypto::inspect_certificate(fresh.cert_der);
  CHECK(new_info.subject == old_info.subject);
  CHECK(new_info.public_key_der != old_info.public_key_der);

  auto old_now = f.store->certificates().find(old.serial);
  CHECK(old_now->status_at(f.clock.now()) == CertStatus::Superseded);
  CHECK(old_now->successor == fresh.serial);
  CHECK_FALSE(old_now->revoked_at.has_value());  // superseded, not revoked: both stay valid

  SECTION("renewing the predecessor again returns the same successor") {
    auto again = renewer.renew(old.serial, {});
    CHECK(again.already_renewed);
    CHECK(again.credential.record.serial == fresh.serial);
    CHECK(again.credential.password == r.credential.password);
    CHECK(again.credential.p12 == r.credential.p12);
  }
}

TEST_CASE("200 days left: refused with the opening date, renews with force", "[renewal]") {
  CaFixture f;
  auto keyring = f.unlock();
  auto old = issue_with_days_left(f, keyring, 200);
  service::Renewer renewer(*f.store, keyring, f.clock, *f.rng, f.actor);
  try {
    renewer.renew(old.serial, {});
    FAIL("renewed outside the window");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::PolicyViolation);
    CHECK(std::string(e.what()).find(format_date(old.not_after - std::chrono::days(90))) != std::string::npos);
  }
  CHECK_FALSE(f.store->certificates().find_successor_of(old.serial));
  auto forced = renewer.renew(old.serial, {.force = true});
  CHECK(forced.credential.record.predecessor == old.serial);
}

TEST_CASE("the tenant's window overrides the default", "[renewal]") {
  CaFixture f;
  auto keyring = f.unlock();
  auto old = issue_with_days_left(f, keyring, 100);
  service::Renewer renewer(*f.store, keyring, f.clock, *f.rng, f.actor);
  CHECK(code_of([&] { renewer.renew(old.serial, {}); }) == ErrorCode::PolicyViolation);
  f.store->tenants().set_renewal_window("acme", 120);
  CHECK(renewer.renew(old.serial, {}).credential.record.predecessor == old.serial);
}

TEST_CASE("expired: renew refuses, reissue succeeds; revoked needs consent", "[renewal]") {
  CaFixture f;
  auto keyring = f.unlock();
  auto expired = issue_with_days_left(f, keyring, -1, "lapsed");
  service::Renewer renewer(*f.store, keyring, f.clock, *f.rng, f.actor);
  CHECK(code_of([&] { renewer.renew(expired.serial, {.force = true}); }) == ErrorCode::InvalidState);
  auto re = renewer.reissue(expired.serial, {});
  CHECK(re.credential.record.predecessor == expired.serial);
  CHECK(re.credential.record.status_at(f.clock.now()) == CertStatus::Active);
  CHECK(f.store->certificates().find(expired.serial)->successor == re.credential.record.serial);

  auto revoked = issue_with_days_left(f, keyring, 30, "stolen");
  service::Revocation(*f.store, f.clock, f.actor).revoke(revoked.serial, RevocationReason::KeyCompromise);
  CHECK(code_of([&] { renewer.renew(revoked.serial, {}); }) == ErrorCode::InvalidState);
  CHECK(code_of([&] { renewer.reissue(revoked.serial, {}); }) == ErrorCode::InvalidState);
  auto allowed = renewer.reissue(revoked.serial, {.allow_revoked = true});
  CHECK(allowed.credential.record.predecessor == revoked.serial);
  auto after = f.store->certificates().find(revoked.serial);
  CHECK(after->state == CertState::Revoked);  // consent to reissue does not un-revoke
  CHECK(after->successor == allowed.credential.record.serial);
}

TEST_CASE("50 concurrent renewals of one certificate leave exactly one successor", "[renewal][race]") {
  CaFixture f;
  auto keyring = f.unlock();
  auto old = issue_with_days_left(f, keyring, 10);
  keyring.issuing_ca(*f.store);  // decrypt once; threads then only read the keyring

  constexpr int kThreads = 50;
  std::vector<std::string> results(kThreads);
  std::vector<std::string> errors(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        auto store = open_sqlite_store(f.dir.path() / "data" / "inkan.db");  // one connection per thread
        auto rng = crypto::Rng::system();
        service::Renewer renewer(*store, keyring, f.clock, *rng, f.actor);
        ready.fetch_add(1);
        while (ready.load() < kThreads) std::this_thread::yield();
        results[i] = renewer.renew(old.serial, {}).credential.record.serial.hex();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e.empty());
  std::set<std::string> distinct(results.begin(), results.end());
  CHECK(distinct.size() == 1);

  CertificateFilter all;
  all.now = f.clock.now();
  all.include_reserved = true;
  int successors = 0;
  for (const auto& c : f.store->certificates().list(all))
    if (c.predecessor == old.serial) ++successors;
  CHECK(successors == 1);
  CHECK(f.store->certificates().reservations().empty());
  CHECK(f.store->audit().verify().ok);
}
