// The management site's reissue rule, enforced by the service (issue 18, item 5): the site
// offers reissue for an expired certificate (or a revoked one, chosen explicitly), and a
// hand-made POST for any other certificate is refused the same way.
#include <catch2/catch_test_macros.hpp>

#include "admin_fixture.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/admin/admin_certificates.hpp"
#include "ca/service/lifecycle/revocation.hpp"

using namespace inkan;
using namespace inkan::admin_test;

TEST_CASE("the service reissues only what the site offers", "[admin]") {
  AdminFixture f;
  auto keyring = f.unlock();
  const auto active = f.issue(keyring, "acme", CertKind::Terminal, "still-valid");
  const auto revoked = f.issue(keyring, "acme", CertKind::Terminal, "revoked");
  service::Revocation(*f.store, f.clock, f.actor).revoke(revoked.serial, RevocationReason::KeyCompromise);
  service::AdminCertificates certs(*f.store, keyring, f.clock, *f.rng, service::TenantScope::of(f.alice));

  auto code = [](const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::Conflict;  // "no error": never what a check below expects
  };
  CHECK(code([&] { certs.reissue(active.serial); }) == ErrorCode::PolicyViolation);
  CHECK_FALSE(f.store->certificates().find(active.serial)->successor);
  CHECK(code([&] { certs.reissue(revoked.serial); }) == ErrorCode::PolicyViolation);
  service::ReissueOptions explicit_choice;
  explicit_choice.allow_revoked = true;
  CHECK(certs.reissue(revoked.serial, explicit_choice).credential.record.serial != revoked.serial);

  f.clock.advance(std::chrono::days(365 * 3 + 2));  // the valid one has expired now
  const auto first = certs.reissue(active.serial);
  CHECK(first.credential.record.serial != active.serial);
  CHECK(certs.reissue(active.serial).already_renewed);  // a repeated POST returns the same successor
}
