// The tenant policy "revoke the predecessor N days after renewal" (issue 18, item 3), with an
// injected clock: no sleeping. 8 days after a renewal under a 7-day policy, the predecessor is
// revoked in the list, on the CRL and at the portal's mutual-TLS check.
#include <catch2/catch_test_macros.hpp>

#include "ca/lint/x509_parts.hpp"
#include "ca/service/tenants.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/lifecycle/predecessor_policy.hpp"
#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/service/lifecycle/self_service.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;

namespace {

class MovableClock final : public Clock {
 public:
  explicit MovableClock(Timestamp t) : t_(t) {}
  Timestamp now() const override { return t_; }
  void advance(std::chrono::seconds d) { t_ += d; }

 private:
  Timestamp t_;
};

struct Renewed {
  CertificateRecord old, successor;
};

Renewed renew_one(CaFixture& f, service::Keyring& keyring, MovableClock& clock) {
  service::Issuer issuer(*f.store, keyring, clock, *f.rng, f.actor);
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = "terminal-7";
  req.key_type = KeyType::EcP256;
  req.not_before = add(clock.now() + std::chrono::days(30), Validity{-3, 0, 0});  // 30 days left
  auto old = issuer.issue(req).record;
  service::Renewer renewer(*f.store, keyring, clock, *f.rng, f.actor);
  auto successor = renewer.renew(old.serial, {}).credential.record;
  return {*f.store->certificates().find(old.serial), successor};
}

// Parsed with the linter's strict DER reader, not with the code that made the CRL.
bool on_crl(const Bytes& crl_der, const Serial& serial) {
  for (const auto& e : lint::parse_crl(crl_der).revoked) {
    std::vector<std::uint8_t> content(e.serial.content.begin(), e.serial.content.end());
    if (Serial::from_bytes(content) == serial) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("with --revoke-predecessor-after 7, the predecessor is revoked from day 7 in list, CRL and mTLS") {
  CaFixture f;
  MovableClock clock(f.clock.now());
  auto keyring = f.unlock();
  service::Tenants(*f.store, clock, f.actor).set_revoke_predecessor_after("acme", 7);
  auto r = renew_one(f, keyring, clock);
  REQUIRE(r.old.state == CertState::Superseded);
  const auto renewed_at = *r.successor.issued_at;

  // Day 6: nothing due; the old certificate still gets in.
  clock.advance(std::chrono::days(6));
  CHECK(service::apply_predecessor_policy(*f.store, clock) == 0);
  service::SelfService portal(*f.store, keyring, clock, *f.rng);
  CHECK(portal.identify(r.old.sha256).access == service::HolderAccess::Granted);

  // Day 8: the mutual-TLS check is the first to look, and already sees it revoked.
  clock.advance(std::chrono::days(2));
  auto holder = portal.identify(r.old.sha256);
  CHECK(holder.access == service::HolderAccess::Revoked);
  auto rec = *f.store->certificates().find(r.old.serial);
  CHECK(rec.state == CertState::Revoked);
  CHECK(rec.revocation_reason == RevocationReason::Superseded);
  CHECK(rec.revoked_at == renewed_at + std::chrono::days(7));  // dated the day it took effect
  CHECK(rec.status_at(clock.now()) == CertStatus::Revoked);     // what `inkan list` prints
  // The successor is untouched.
  CHECK(f.store->certificates().find(r.successor.serial)->state == CertState::Active);

  auto crl = service::Revocation(*f.store, clock, f.actor).publish_crl(keyring, *f.rng, std::chrono::days(7));
  CHECK(on_crl(crl.der, r.old.serial));
  CHECK_FALSE(on_crl(crl.der, r.successor.serial));

  AuditQuery q;
  q.actor = "policy:revoke-predecessor";
  auto entries = f.store->audit().query(q);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].object == "cert:" + r.old.serial.hex());
  CHECK(entries[0].at == clock.now());  // audited when it took effect, by the first reader
  CHECK(entries[0].tenant_id == std::optional<std::string>("acme"));
  CHECK(service::apply_predecessor_policy(*f.store, clock) == 0);  // once only
}

TEST_CASE("without a policy (the default, never) a predecessor stays valid; the CRL applies a due policy") {
  CaFixture f;
  MovableClock clock(f.clock.now());
  auto keyring = f.unlock();
  auto r = renew_one(f, keyring, clock);
  clock.advance(std::chrono::days(400));
  CHECK(service::apply_predecessor_policy(*f.store, clock) == 0);
  CHECK(f.store->certificates().find(r.old.serial)->state == CertState::Superseded);

  // Policy set later: due at once (renewed 400 days ago); the CRL is the first reader.
  service::Tenants(*f.store, clock, f.actor).set_revoke_predecessor_after("acme", 30);
  auto crl = service::Revocation(*f.store, clock, f.actor).publish_crl(keyring, *f.rng, std::chrono::days(7));
  CHECK(on_crl(crl.der, r.old.serial));
  service::Tenants(*f.store, clock, f.actor).set_revoke_predecessor_after("acme", std::nullopt);
  CHECK_FALSE(f.store->tenants().find("acme")->revoke_predecessor_after_days);
}
