// Login to the management site: passwords, client certificates, throttling per account and per
// socket address, sessions (rotation, idle and absolute timeouts, logout), login history.
#include <catch2/catch_test_macros.hpp>

#include "admin_fixture.hpp"
#include "ca/crypto/secrets/password_hash.hpp"
#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/lifecycle/revocation.hpp"

using namespace inkan;
using namespace inkan::admin_test;
using namespace std::chrono_literals;

TEST_CASE("Argon2id: production parameters, PHC string, verify and refuse", "[admin]") {
  auto rng = crypto::Rng::system();
  const std::string phc = crypto::hash_password("correct horse battery", *rng, crypto::kAdminPasswordHash);
  CHECK(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(crypto::verify_password("correct horse battery", phc));
  CHECK_FALSE(crypto::verify_password("correct horse batterY", phc));
  CHECK_FALSE(crypto::verify_password("", phc));
  // Two hashes of one password differ (random salt).
  CHECK(crypto::hash_password("correct horse battery", *rng, crypto::kTestPasswordHash) !=
        crypto::hash_password("correct horse battery", *rng, crypto::kTestPasswordHash));
  // Only Argon2id: a downgraded or broken string never verifies, and never throws.
  std::string downgraded = phc;
  downgraded.replace(0, 10, "$argon2d$");
  CHECK_FALSE(crypto::verify_password("correct horse battery", downgraded));
  CHECK_FALSE(crypto::verify_password("correct horse battery", "not a hash"));
}

TEST_CASE("login: success needs the password and a certificate bound to the account", "[admin]") {
  AdminFixture f;
  auto keyring = f.unlock();
  const auto acme_admin = f.issue(keyring, "acme", CertKind::TenantAdmin, "admin-acme");
  const auto beta_admin = f.issue(keyring, "beta", CertKind::TenantAdmin, "admin-beta");
  const auto acme_terminal = f.issue(keyring, "acme", CertKind::Terminal, "client300");
  auto login = f.login();

  auto ok = login.authenticate(f.request("alice", kPassword, "192.0.2.1", acme_admin.sha256));
  REQUIRE(ok.result == LoginResult::Success);
  REQUIRE(ok.session);
  CHECK(ok.session->token.size() == 64);
  CHECK(ok.session->csrf_token.size() == 64);
  CHECK(ok.session->token != ok.session->csrf_token);
  CHECK(ok.session->user.username == "alice");
  CHECK(ok.session->user.password_hash.empty());

  CHECK(login.authenticate(f.request("alice", "wrong password!", "192.0.2.1", acme_admin.sha256)).result ==
        LoginResult::WrongPassword);
  CHECK(login.authenticate(f.request("nobody", kPassword, "192.0.2.1", acme_admin.sha256)).result ==
        LoginResult::UnknownUser);
  CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.1")).result ==
        LoginResult::CertificateRequired);
  // Another tenant's admin certificate, a terminal certificate, an unknown fingerprint.
  CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.1", beta_admin.sha256)).result ==
        LoginResult::CertificateMismatch);
  CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.1", acme_terminal.sha256)).result ==
        LoginResult::CertificateMismatch);
  CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.1", std::string(64, 'a'))).result ==
        LoginResult::CertificateMismatch);
  // Issue 14 item 4: a certificate logs in only the account it is bound to. Operators (not exempt
  // by default) need an operator certificate: a tenant-admin one, of any tenant, is refused.
  const auto operator_cert = f.issue(keyring, "beta", CertKind::Operator, "oper-pc");
  CHECK(login.authenticate(f.request("oper", kPassword, "192.0.2.1", beta_admin.sha256)).result ==
        LoginResult::CertificateMismatch);
  CHECK(login.authenticate(f.request("oper", kPassword, "192.0.2.1", operator_cert.sha256)).result ==
        LoginResult::Success);
  CHECK(login.authenticate(f.request("bob", kPassword, "192.0.2.1", operator_cert.sha256)).result ==
        LoginResult::CertificateMismatch);
  CHECK(login.authenticate(f.request("oper", kPassword, "192.0.2.1")).result == LoginResult::CertificateRequired);
  // A second administrator of acme does not log in with alice's certificate, only with their own.
  f.add("dave", AdminRole::TenantAdmin, "acme");
  CHECK(login.authenticate(f.request("dave", kPassword, "192.0.2.1", acme_admin.sha256)).result ==
        LoginResult::CertificateMismatch);
  const auto dave_cert = f.issue(keyring, "acme", CertKind::TenantAdmin, "dave-pc", "dave");
  CHECK(login.authenticate(f.request("dave", kPassword, "192.0.2.1", dave_cert.sha256)).result ==
        LoginResult::Success);
  CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.1", dave_cert.sha256)).result ==
        LoginResult::CertificateMismatch);

  SECTION("a revoked certificate no longer logs in; a superseded one does, and so does its successor") {
    service::Revocation(*f.store, f.clock, f.actor).revoke(beta_admin.serial, RevocationReason::KeyCompromise);
    CHECK(login.authenticate(f.request("bob", kPassword, "192.0.2.9", beta_admin.sha256)).result ==
          LoginResult::CertificateMismatch);
    const auto renewed = service::Renewer(*f.store, keyring, f.clock, *f.rng, f.actor)
                             .renew(acme_admin.serial, service::RenewOptions{true, std::nullopt});
    CHECK(f.store->certificates().find(acme_admin.serial)->state == CertState::Superseded);
    CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.9", acme_admin.sha256)).result ==
          LoginResult::Success);
    // The successor inherits the binding: alice's, not dave's.
    const auto successor_sha = renewed.credential.record.sha256;
    CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.9", successor_sha)).result ==
          LoginResult::Success);
    CHECK(login.authenticate(f.request("dave", kPassword, "192.0.2.9", successor_sha)).result ==
          LoginResult::CertificateMismatch);
  }
  SECTION("without the certificate requirement, or with operators exempt") {
    f.policy.require_client_cert = false;
    CHECK(f.login().authenticate(f.request("alice", kPassword, "192.0.2.1")).result == LoginResult::Success);
    f.policy.require_client_cert = true;
    f.policy.operators_exempt_from_certificate = true;
    CHECK(f.login().authenticate(f.request("oper", kPassword, "192.0.2.1")).result == LoginResult::Success);
    CHECK(f.login().authenticate(f.request("alice", kPassword, "192.0.2.1")).result ==
          LoginResult::CertificateRequired);
  }
  SECTION("a disabled account is refused, after the password") {
    f.accounts(f.cli_scope()).disable("alice");
    CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.1", acme_admin.sha256)).result ==
          LoginResult::Disabled);
    CHECK(login.authenticate(f.request("alice", "wrong password!", "192.0.2.1", acme_admin.sha256)).result ==
          LoginResult::WrongPassword);
  }
}

TEST_CASE("login history records time, user, socket address, certificate serial and result", "[admin]") {
  AdminFixture f;
  f.policy.require_client_cert = false;
  auto keyring = f.unlock();
  const auto cert = f.issue(keyring, "acme", CertKind::TenantAdmin, "admin-acme");
  auto login = f.login();
  login.authenticate(f.request("alice", kPassword, "198.51.100.7", cert.sha256));
  f.clock.advance(5s);
  login.authenticate(f.request("alice", "nope nope nope", "2001:db8::1"));
  login.authenticate(f.request("ghost", kPassword, "198.51.100.8"));

  const auto all = f.store->logins().history({std::nullopt, 10, 0});
  REQUIRE(all.size() == 3);
  CHECK(all[2].result == LoginResult::Success);
  CHECK(all[2].address == "198.51.100.7");
  CHECK(all[2].cert_serial == cert.serial);
  CHECK(all[2].tenant_id == "acme");
  CHECK(all[2].user_id == f.alice.id);
  CHECK(all[1].result == LoginResult::WrongPassword);
  CHECK(all[1].address == "2001:db8::1");
  CHECK(all[1].at == all[2].at + 5s);
  CHECK_FALSE(all[1].cert_serial);
  CHECK(all[0].result == LoginResult::UnknownUser);
  CHECK(all[0].username == "ghost");
  CHECK_FALSE(all[0].tenant_id);
}

TEST_CASE("throttling: 10 consecutive failures lock the account for 15 minutes", "[admin]") {
  AdminFixture f;
  f.policy.require_client_cert = false;
  auto login = f.login();
  // Each failure from its own address, so only the account counter can lock.
  for (int i = 0; i < 9; ++i)
    CHECK(login.authenticate(f.request("alice", "wrong password!", "10.0.1." + std::to_string(i))).result ==
          LoginResult::WrongPassword);
  // A success resets the consecutive count.
  CHECK(login.authenticate(f.request("alice", kPassword, "10.0.2.1")).result == LoginResult::Success);
  for (int i = 0; i < 10; ++i)
    login.authenticate(f.request("alice", "wrong password!", "10.0.3." + std::to_string(i)));
  // Locked: even the right password is refused, without evaluating it.
  CHECK(login.authenticate(f.request("alice", kPassword, "10.0.4.1")).result == LoginResult::Locked);
  // Other accounts are not affected.
  CHECK(login.authenticate(f.request("bob", kPassword, "10.0.4.2")).result == LoginResult::Success);
  f.clock.advance(14min + 59s);
  CHECK(login.authenticate(f.request("alice", kPassword, "10.0.4.3")).result == LoginResult::Locked);
  f.clock.advance(1s);
  CHECK(login.authenticate(f.request("alice", kPassword, "10.0.4.4")).result == LoginResult::Success);
  // The lock was audited.
  bool audited = false;
  for (const auto& e : f.store->audit().list(50, 0))
    audited = audited || (e.action == "admin.lock" && e.object == "admin:alice");
  CHECK(audited);
}

TEST_CASE("throttling: at most 100 failures per account are evaluated per hour", "[admin]") {
  AdminFixture f;
  f.policy.require_client_cert = false;
  f.policy.lock_duration = 1min;  // short locks, so the hourly cap is what stops the attacker
  auto login = f.login();
  int evaluated = 0;
  for (int round = 0; round < 12; ++round) {
    for (int i = 0; i < 10; ++i) {
      const auto r = login.authenticate(
          f.request("alice", "wrong password!", "10." + std::to_string(round) + ".0." + std::to_string(i)));
      if (r.result == LoginResult::WrongPassword) ++evaluated;
    }
    f.clock.advance(61s);
  }
  CHECK(evaluated == 100);
  // Not in a consecutive-failure lock, yet refused: the cap of the last hour.
  CHECK(login.authenticate(f.request("alice", kPassword, "10.99.0.1")).result == LoginResult::Locked);
  f.clock.advance(1h);
  CHECK(login.authenticate(f.request("alice", kPassword, "10.99.0.2")).result == LoginResult::Success);
}

TEST_CASE("throttling per socket address depends on the address argument only", "[admin]") {
  AdminFixture f;
  auto keyring = f.unlock();
  const auto cert = f.issue(keyring, "acme", CertKind::TenantAdmin, "admin-acme");
  auto login = f.login();
  const std::string attacker = "203.0.113.66";
  // Ten failures spread over unknown and real usernames: the accounts stay below their limit.
  for (int i = 0; i < 10; ++i)
    login.authenticate(f.request(i % 2 ? "user" + std::to_string(i) : "bob", "wrong password!", attacker));
  // From that address everything is refused, whatever the username, password or certificate.
  CHECK(login.authenticate(f.request("alice", kPassword, attacker, cert.sha256)).result == LoginResult::Locked);
  CHECK(login.authenticate(f.request("oper", kPassword, attacker, cert.sha256)).result == LoginResult::Locked);
  // Another address is unaffected; the web layer passes the socket peer, so a forged
  // X-Forwarded-For header cannot change which counter is used.
  CHECK(login.authenticate(f.request("alice", kPassword, "203.0.113.67", cert.sha256)).result ==
        LoginResult::Success);
  // bob's account saw only 5 failures: not locked.
  f.policy.require_client_cert = false;
  CHECK(f.login().authenticate(f.request("bob", kPassword, "203.0.113.68")).result == LoginResult::Success);
  f.clock.advance(15min);
  CHECK(login.authenticate(f.request("alice", kPassword, attacker, cert.sha256)).result == LoginResult::Success);

  SECTION("200 wrong passwords from one address: 10 evaluated, the rest refused") {
    int evaluated = 0;
    for (int i = 0; i < 200; ++i)
      if (login.authenticate(f.request("alice", "wrong password!", "198.18.0.1")).result ==
          LoginResult::WrongPassword)
        ++evaluated;
    CHECK(evaluated == 10);
  }
}

TEST_CASE("sessions: rotation at login, validate, CSRF, logout", "[admin]") {
  AdminFixture f;
  f.policy.require_client_cert = false;
  auto login = f.login();
  auto first = login.authenticate(f.request("alice", kPassword, "192.0.2.1")).session;
  REQUIRE(first);
  auto who = login.validate(first->token, std::nullopt);
  REQUIRE(who);
  CHECK(who->user.id == f.alice.id);
  CHECK(who->csrf_token == first->csrf_token);
  CHECK(service::AdminLogin::csrf_matches(*who, first->csrf_token));
  CHECK_FALSE(service::AdminLogin::csrf_matches(*who, ""));
  CHECK_FALSE(service::AdminLogin::csrf_matches(*who, std::string(64, '0')));

  // Logging in again, with the old token: a new id, and the old one is dead.
  auto req = f.request("alice", kPassword, "192.0.2.1");
  req.previous_token = first->token;
  auto second = login.authenticate(req).session;
  REQUIRE(second);
  CHECK(second->token != first->token);
  CHECK(second->csrf_token != first->csrf_token);
  CHECK_FALSE(login.validate(first->token, std::nullopt));
  REQUIRE(login.validate(second->token, std::nullopt));

  // Only the digest is stored.
  CHECK_FALSE(f.store->admin_sessions().find(second->token));

  login.logout(second->token);
  CHECK_FALSE(login.validate(second->token, std::nullopt));
  CHECK_FALSE(login.validate("", std::nullopt));
  CHECK_FALSE(login.validate(std::string(64, 'x'), std::nullopt));
}

TEST_CASE("sessions: idle timeout 30 minutes, absolute timeout 12 hours", "[admin]") {
  AdminFixture f;
  f.policy.require_client_cert = false;
  auto login = f.login();
  SECTION("idle") {
    auto s = login.authenticate(f.request("alice", kPassword, "192.0.2.1")).session;
    f.clock.advance(29min);
    REQUIRE(login.validate(s->token, std::nullopt));  // refreshes the idle timer
    f.clock.advance(29min);
    REQUIRE(login.validate(s->token, std::nullopt));
    f.clock.advance(31min);
    CHECK_FALSE(login.validate(s->token, std::nullopt));
    f.clock.advance(-31min);  // and it is gone, not just refused
    CHECK_FALSE(login.validate(s->token, std::nullopt));
  }
  SECTION("absolute") {
    auto s = login.authenticate(f.request("alice", kPassword, "192.0.2.1")).session;
    for (int i = 0; i < 36; ++i) {  // busy all the time: every 20 minutes for 12 hours
      f.clock.advance(20min);
      REQUIRE(login.validate(s->token, std::nullopt));
    }
    f.clock.advance(1s);
    CHECK_FALSE(login.validate(s->token, std::nullopt));
  }
}

TEST_CASE("sessions end when the account is disabled or its password changes", "[admin]") {
  AdminFixture f;
  f.policy.require_client_cert = false;
  auto login = f.login();
  auto s = login.authenticate(f.request("alice", kPassword, "192.0.2.1")).session;
  REQUIRE(s);
  SECTION("disabled") {
    f.accounts(f.cli_scope()).disable("alice");
    CHECK_FALSE(login.validate(s->token, std::nullopt));
  }
  SECTION("reset by an operator: one-time password, must change") {
    const std::string otp = f.accounts(f.cli_scope()).reset_password("alice");
    CHECK_FALSE(login.validate(s->token, std::nullopt));
    CHECK(login.authenticate(f.request("alice", kPassword, "192.0.2.1")).result == LoginResult::WrongPassword);
    auto again = login.authenticate(f.request("alice", otp, "192.0.2.1"));
    REQUIRE(again.result == LoginResult::Success);
    CHECK(again.session->must_change_password);
    // Changing it clears the flag and ends the session.
    auto me = *login.validate(again.session->token, std::nullopt);
    auto accounts = f.accounts(service::TenantScope::of(me.user));
    CHECK(code_of([&] { accounts.change_own_password("not the otp at all", "a brand new password"); }) ==
          ErrorCode::WrongPassphrase);
    CHECK(code_of([&] { accounts.change_own_password(otp, "short"); }) == ErrorCode::InvalidArgument);
    accounts.change_own_password(otp, "a brand new password");
    CHECK_FALSE(login.validate(again.session->token, std::nullopt));
    auto third = login.authenticate(f.request("alice", "a brand new password", "192.0.2.1"));
    REQUIRE(third.result == LoginResult::Success);
    CHECK_FALSE(third.session->must_change_password);
  }
}

TEST_CASE("sessions opened with a certificate need that certificate, still valid, on every request", "[admin]") {
  AdminFixture f;
  auto keyring = f.unlock();
  const auto cert = f.issue(keyring, "acme", CertKind::TenantAdmin, "admin-acme");
  const auto other = f.issue(keyring, "acme", CertKind::TenantAdmin, "admin-acme-2");
  auto login = f.login();
  auto s = login.authenticate(f.request("alice", kPassword, "192.0.2.1", cert.sha256)).session;
  REQUIRE(s);
  CHECK(login.validate(s->token, cert.sha256));
  CHECK_FALSE(login.validate(s->token, std::nullopt));
  CHECK_FALSE(login.validate(s->token, other.sha256));
  service::Revocation(*f.store, f.clock, f.actor).revoke(cert.serial, RevocationReason::KeyCompromise);
  CHECK_FALSE(login.validate(s->token, cert.sha256));
}

TEST_CASE("throttling: a name without an account locks like an account (no enumeration)", "[admin]") {
  // Issue 14 item 6: an unknown name answered "unknown" for ever where a locked account answered
  // "locked", which told an attacker which names exist. Both now lock after the same failures.
  AdminFixture f;
  f.policy.require_client_cert = false;
  auto login = f.login();
  for (const std::string name : {"alice", "nobody-here"}) {
    for (int i = 0; i < 10; ++i)
      login.authenticate(f.request(name, "wrong password!", "10.7." + std::to_string(name.size()) + "." + std::to_string(i)));
    CHECK(login.authenticate(f.request(name, "wrong password!", "10.8.0." + std::to_string(name.size()))).result ==
          LoginResult::Locked);
  }
  // The lock still holds for the account, even with the right password; it lifts after 15 minutes.
  CHECK(login.authenticate(f.request("alice", kPassword, "10.9.0.1")).result == LoginResult::Locked);
  f.clock.advance(15min);
  CHECK(login.authenticate(f.request("alice", kPassword, "10.9.0.2")).result == LoginResult::Success);
  CHECK(login.authenticate(f.request("nobody-here", "x", "10.9.0.3")).result == LoginResult::UnknownUser);
}
