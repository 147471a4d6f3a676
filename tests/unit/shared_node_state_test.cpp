// What several `inkan serve` nodes share through the database (issue 22 item 3): the form secret
// (made once, the same for a second connection, rotated after 30 days with the previous one
// accepted for 24 hours, refused when altered) and each CA's stored CRL (served while current,
// re-signed with a higher number once stale or when the revocations change).
#include <catch2/catch_test_macros.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/keys/form_secret.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace std::chrono_literals;

TEST_CASE("the form secret is made once, shared, rotated with a grace period", "[nodes]") {
  service_test::CaFixture f;
  auto keyring = f.unlock();
  auto other_node = service::open_data_dir(f.dir.path() / "data");
  const service::Actor actor{"test:serve"};

  service::FormSecretStore a(*f.store, keyring.data_key(), f.clock, *f.rng, actor);
  service::FormSecretStore b(*other_node, keyring.data_key(), f.clock, *f.rng, actor);
  CHECK_FALSE(b.load().has_value());
  const auto first = a.ensure();
  CHECK(first.current.size() == 32);
  CHECK_FALSE(first.previous.has_value());
  const auto seen = b.ensure();  // the second node loads it, makes none
  CHECK(seen.current == first.current);
  CHECK(seen.stored == first.stored);

  f.clock.set(f.clock.now() + service::kFormSecretRotation - 1s);
  CHECK(b.ensure().current == first.current);
  f.clock.set(f.clock.now() + 1s);
  const auto rotated = b.ensure();
  CHECK(rotated.current != first.current);
  REQUIRE(rotated.previous.has_value());
  CHECK(*rotated.previous == first.current);
  CHECK(a.ensure().current == rotated.current);  // rotated once, by one node
  CHECK(rotated.previous_accepted(f.clock.now() + service::kFormSecretGrace - 1s));
  CHECK_FALSE(rotated.previous_accepted(f.clock.now() + service::kFormSecretGrace));

  // A stored value made to look newer does not open: its time is bound to the ciphertext.
  auto stored = f.store->settings().get("web.form_secret");
  REQUIRE(stored);
  auto tx = f.store->begin();
  f.store->settings().put("web.form_secret", "9" + *stored);
  tx->commit();
  CHECK_THROWS_AS(a.load(), Error);
}

TEST_CASE("nodes serve one stored CRL and re-sign it with a higher number when stale", "[nodes]") {
  service_test::CaFixture f;
  auto keyring = f.unlock();
  auto other_node = service::open_data_dir(f.dir.path() / "data");
  const auto ca = f.store->cas().active_issuing()->id;
  service::Revocation on_a(*f.store, f.clock, service::Actor{"serve:crl"});
  service::Revocation on_b(*other_node, f.clock, service::Actor{"serve:crl"});

  const auto first = on_a.current_crl(keyring, *f.rng, 7 * 24h, 5min, ca);
  const auto same = on_b.current_crl(keyring, *f.rng, 7 * 24h, 5min, ca);
  CHECK(same.der == first.der);
  CHECK(same.number == first.number);

  // A revocation changes the entries: the next node to serve re-signs, the other serves that.
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = "terminal-1";
  req.key_type = KeyType::EcP256;
  auto cert = service::Issuer(*f.store, keyring, f.clock, *f.rng, f.actor).issue(req).record;
  on_a.revoke(cert.serial, RevocationReason::KeyCompromise);
  const auto after_revocation = on_b.current_crl(keyring, *f.rng, 7 * 24h, 5min, ca);
  CHECK(after_revocation.number > first.number);
  CHECK(on_a.current_crl(keyring, *f.rng, 7 * 24h, 5min, ca).der == after_revocation.der);

  // Five minutes on, it is stale: re-signed once, with a higher number.
  f.clock.set(f.clock.now() + 5min);
  const auto later = on_a.current_crl(keyring, *f.rng, 7 * 24h, 5min, ca);
  CHECK(later.number > after_revocation.number);
  CHECK(on_b.current_crl(keyring, *f.rng, 7 * 24h, 5min, ca).number == later.number);

  // `inkan crl` publishes through the same store: the nodes serve what it signed.
  f.clock.set(f.clock.now() + 1min);
  const auto published = on_b.publish_crl(keyring, *f.rng, 7 * 24h, ca);
  CHECK(on_a.current_crl(keyring, *f.rng, 7 * 24h, 5min, ca).der == published.der);
}
