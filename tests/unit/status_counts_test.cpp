// TOP's status counts come from the day buckets of certificate_counts (migration 0009), kept by
// triggers (issue 18). They must equal a count of every row's status, for every tenant and at
// every moment: before, on and after the day a certificate expires, after revocation, renewal
// and a cleared reservation.
#include <catch2/catch_test_macros.hpp>

#include "ca/service/issuance/issuer.hpp"
#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/store/admin_repositories.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;

namespace {

StatusCounts brute_force(Store& store, const std::optional<std::string>& tenant, Timestamp now) {
  CertificateFilter f;
  f.tenant_id = tenant;
  f.now = now;
  StatusCounts c;
  for (const auto& r : store.certificates().list(f)) {
    switch (r.status_at(now)) {
      case CertStatus::Active: ++c.active; break;
      case CertStatus::Superseded: ++c.superseded; break;
      case CertStatus::Expired: ++c.expired; break;
      case CertStatus::Revoked: ++c.revoked; break;
    }
  }
  return c;
}

bool same(const StatusCounts& a, const StatusCounts& b) {
  return a.active == b.active && a.superseded == b.superseded && a.expired == b.expired && a.revoked == b.revoked;
}

}  // namespace

TEST_CASE("status counts from the day buckets equal a count of every row, at every moment") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Tenants(*f.store, f.clock, f.actor).add("beta", "Beta");
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  std::vector<CertificateRecord> issued;
  // Expiry dates around "now": days -400 .. +40 in steps, some expiring later today.
  const int offsets_hours[] = {-400 * 24, -30 * 24, -1, 0, 1, 5, 23, 24, 25, 10 * 24, 40 * 24};
  int i = 0;
  for (int h : offsets_hours) {
    service::IssueRequest req;
    req.tenant_id = i % 2 ? "beta" : "acme";
    req.common_name = "c" + std::to_string(i++);
    req.key_type = KeyType::EcP256;
    req.not_before = add(f.clock.now() + std::chrono::hours(h), Validity{-3, 0, 0});
    issued.push_back(issuer.issue(req).record);
  }
  service::Revocation(*f.store, f.clock, f.actor).revoke(issued[1].serial, RevocationReason::KeyCompromise);
  service::Renewer(*f.store, keyring, f.clock, *f.rng, f.actor).renew(issued[9].serial, {});  // superseded + new

  auto& q = f.store->certificate_queries();
  for (int h : {-24 * 500, -2, 0, 1, 2, 6, 24, 26, 24 * 11, 24 * 365 * 4}) {
    const auto now = f.clock.now() + std::chrono::hours(h);
    for (const auto& tenant : {std::optional<std::string>{}, std::optional<std::string>{"acme"},
                               std::optional<std::string>{"beta"}}) {
      INFO("hours " << h << " tenant " << tenant.value_or("*"));
      CHECK(same(q.counts(tenant, now), brute_force(*f.store, tenant, now)));
    }
  }
  const auto c = q.counts(std::nullopt, f.clock.now());
  CHECK(c.revoked == 1);
  CHECK(c.superseded == 1);
}
