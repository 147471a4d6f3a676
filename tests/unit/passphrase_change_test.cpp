// `inkan passphrase change` through the real services and SQLite file (issue 18, item 2).
#include <catch2/catch_test_macros.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/keys/passphrase_change.hpp"
#include "ca/service/keys/server_certificate.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;

namespace {

constexpr const char* kNewPassphrase = "a new passphrase for the next operator";

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("no error was raised");
  return ErrorCode::InvalidArgument;
}

CertificateRecord issue(CaFixture& f, service::Keyring& keyring, const std::string& cn) {
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = cn;
  req.key_type = KeyType::EcP256;
  return issuer.issue(req).record;
}

}  // namespace

TEST_CASE("after a passphrase change only the new passphrase unlocks, and it issues and reveals") {
  CaFixture f;
  auto old_keyring = f.unlock();
  service::ServerCertificates(*f.store, old_keyring, f.clock, *f.rng, f.actor).ensure({"localhost"}, std::chrono::days(30));
  auto before = issue(f, old_keyring, "before-change");

  auto r = service::change_passphrase(*f.store, old_keyring, kNewPassphrase, *f.rng, f.clock, f.actor);
  CHECK(r.ca_keys == 2);  // root and issuing (online root)
  CHECK(r.server_key);

  CHECK(code_of([&] { service::Keyring::unlock(*f.store, kPassphrase); }) == ErrorCode::WrongPassphrase);
  auto keyring = service::Keyring::unlock(*f.store, kNewPassphrase);
  // The data key is the same: a password sealed before the change opens.
  service::Credentials creds(*f.store, keyring, f.clock, *f.rng, f.actor);
  CHECK_FALSE(creds.reveal_password(before.serial).empty());
  // Every CA key and the server key decrypt under the new passphrase.
  for (const auto& ca : f.store->cas().list()) keyring.ca(*f.store, ca.id);
  auto server = service::ServerCertificates(*f.store, keyring, f.clock, *f.rng, f.actor).ensure({"localhost"}, std::chrono::days(30));
  CHECK_FALSE(server.issued_now);
  issue(f, keyring, "after-change");

  auto head = f.store->audit().head();
  REQUIRE(head);
  CHECK(head->action == "cert.issue");
  AuditQuery q;
  q.action = "passphrase.change";
  auto changes = f.store->audit().query(q);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].detail == "ca_keys=2 pending_key=no server_key=yes");
}

TEST_CASE("a process unlocked before the change keeps its unlocked keys and refuses stale work") {
  CaFixture f;
  auto serving = f.unlock();
  serving.unlock_all_cas(*f.store);  // what `inkan serve` does at start
  auto other = f.unlock();
  service::change_passphrase(*f.store, other, kNewPassphrase, *f.rng, f.clock, f.actor);

  // Signing with the cached issuing CA and opening sealed passwords still work...
  auto rec = issue(f, serving, "issued-by-old-process");
  service::Credentials creds(*f.store, serving, f.clock, *f.rng, f.actor);
  CHECK_FALSE(creds.reveal_password(rec.serial).empty());
  // ...but nothing is ever encrypted under the old passphrase again.
  CHECK(code_of([&] { serving.passphrase(*f.store); }) == ErrorCode::InvalidState);
  CHECK(code_of([&] {
          service::ServerCertificates(*f.store, serving, f.clock, *f.rng, f.actor).ensure({"localhost"}, std::chrono::days(30));
        }) == ErrorCode::InvalidState);
  // A second change from the stale keyring is refused, so no change is ever lost.
  CHECK(code_of([&] { service::change_passphrase(*f.store, other, "yet another passphrase", *f.rng, f.clock, f.actor); }) ==
        ErrorCode::InvalidState);
}

TEST_CASE("the new passphrase must be long enough and differ from the current one") {
  CaFixture f;
  auto keyring = f.unlock();
  CHECK(code_of([&] { service::change_passphrase(*f.store, keyring, "short", *f.rng, f.clock, f.actor); }) ==
        ErrorCode::InvalidArgument);
  CHECK(code_of([&] { service::change_passphrase(*f.store, keyring, kPassphrase, *f.rng, f.clock, f.actor); }) ==
        ErrorCode::InvalidArgument);
  CHECK_NOTHROW(service::Keyring::unlock(*f.store, kPassphrase));
}
