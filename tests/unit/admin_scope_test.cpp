// Tenant isolation on the management site: a tenant-A administrator gets NotFound for every
// tenant-B object and action (certificates, users, tenants, login history); the operator reaches
// both; every change is audited with the acting administrator.
#include <catch2/catch_test_macros.hpp>

#include "admin_fixture.hpp"
#include "ca/service/admin/admin_certificates.hpp"
#include "ca/service/admin/admin_queries.hpp"

using namespace inkan;
using namespace inkan::admin_test;
using namespace std::chrono_literals;

// A list request with some fields set (designated initializers would warn on g++ 12).
namespace {
template <typename Set>
service::CertificateListRequest where(Set set) {
  service::CertificateListRequest r;
  set(r);
  return r;
}
}  // namespace

namespace {

bool audited(Store& store, const std::string& actor, const std::string& action, const std::string& object) {
  for (const auto& e : store.audit().list(500, 0))
    if (e.actor == actor && e.action == action && e.object == object) return true;
  return false;
}

}  // namespace

TEST_CASE("tenant isolation: every certificate action on another tenant is NotFound", "[admin]") {
  AdminFixture f;
  auto keyring = f.unlock();
  const auto theirs = f.issue(keyring, "beta", CertKind::Terminal, "beta-client");
  const auto mine = f.issue(keyring, "acme", CertKind::Terminal, "acme-client");
  f.clock.advance(std::chrono::days(365 * 3 - 30));  // inside the renewal window of both

  const auto alice = service::TenantScope::of(f.alice);
  service::AdminCertificates certs(*f.store, keyring, f.clock, *f.rng, alice);
  service::AdminQueries queries(*f.store, f.clock, alice);
  const Serial s = theirs.serial;
  const std::vector<std::pair<const char*, std::function<void()>>> actions{
      {"view", [&] { certs.view(s); }},
      {"detail", [&] { queries.certificate(s); }},
      {"p12", [&] { certs.p12(s); }},
      {"zip", [&] { certs.zip(s); }},
      {"file name", [&] { certs.file_stem(s); }},
      {"password", [&] { certs.reveal_password(s); }},
      {"renew", [&] { certs.renew(s); }},
      {"reissue", [&] { certs.reissue(s); }},
      {"revoke", [&] { certs.revoke(s, RevocationReason::KeyCompromise); }},
      {"notes", [&] { certs.set_notes(s, "mine now"); }},
      {"issue", [&] {
         service::IssueRequest r;
         r.tenant_id = "beta";
         r.common_name = "intruder";
         r.key_type = KeyType::EcP256;
         certs.issue(r);
       }},
      {"list", [&] { queries.certificates(where([](auto& r) { r.tenant_id = "beta"; })); }},
      {"dashboard", [&] { queries.dashboard("beta"); }},
      {"tenant", [&] { queries.tenant("beta"); }},
      {"history", [&] { queries.login_history("beta"); }},
  };
  for (const auto& [name, action] : actions) {
    INFO(name);
    CHECK(code_of(action) == ErrorCode::NotFound);
  }
  // Nothing changed on tenant B: no successor, not revoked, no notes, no new certificate.
  const auto after = *f.store->certificates().find(s);
  CHECK(after.state == CertState::Active);
  CHECK_FALSE(after.successor);
  CHECK(after.notes.empty());
  CHECK(queries.certificates({}).total == 1);  // only acme's own certificate is visible
  CHECK(queries.tenants().size() == 1);
  // The same message as for a serial that does not exist at all.
  std::string message_theirs, message_missing;
  try { certs.view(s); } catch (const Error& e) { message_theirs = e.what(); }
  const Serial missing = Serial::parse("0123456789ABCDEF");
  try { certs.view(missing); } catch (const Error& e) { message_missing = e.what(); }
  CHECK(message_theirs == "unknown certificate " + s.hex());
  CHECK(message_missing == "unknown certificate " + missing.hex());

  SECTION("own tenant: every action works and is audited with the administrator") {
    CHECK(certs.view(mine.serial).cn == "acme-client");
    CHECK_FALSE(certs.p12(mine.serial).empty());
    CHECK_FALSE(certs.reveal_password(mine.serial).empty());
    CHECK(certs.set_notes(mine.serial, "端末 3F").notes == "端末 3F");
    CHECK(f.store->certificates().find(mine.serial)->notes == "端末 3F");
    CHECK(audited(*f.store, "admin:alice", "cert.notes", "cert:" + mine.serial.hex()));
    CHECK(audited(*f.store, "admin:alice", "password.reveal", "cert:" + mine.serial.hex()));
    auto renewed = certs.renew(mine.serial);
    CHECK(renewed.credential.record.predecessor == mine.serial);
    CHECK(queries.certificate(mine.serial).successor == renewed.credential.record.serial);
    certs.revoke(renewed.credential.record.serial, RevocationReason::Superseded);
    CHECK(code_of([&] { certs.set_notes(mine.serial, std::string(2001, 'x')); }) == ErrorCode::InvalidArgument);
  }
  SECTION("the operator reaches both tenants") {
    const auto op = service::TenantScope::of(f.op);
    service::AdminCertificates op_certs(*f.store, keyring, f.clock, *f.rng, op);
    service::AdminQueries op_queries(*f.store, f.clock, op);
    CHECK(op_certs.view(theirs.serial).tenant_id == "beta");
    CHECK(op_certs.view(mine.serial).tenant_id == "acme");
    op_certs.set_notes(theirs.serial, "checked by op");
    CHECK(audited(*f.store, "admin:oper", "cert.notes", "cert:" + theirs.serial.hex()));
    CHECK(op_queries.certificates({}).total == 2);
    CHECK(op_queries.certificates(where([](auto& r) { r.tenant_id = "beta"; })).total == 1);
    CHECK(op_queries.tenants().size() == 2);
    CHECK(op_queries.dashboard("beta").counts.active == 1);
    CHECK(op_queries.dashboard().counts.active == 2);
  }
}

TEST_CASE("tenant isolation: administrators of another tenant are NotFound", "[admin]") {
  AdminFixture f;
  const auto alice_scope = service::TenantScope::of(f.alice);
  auto accounts = f.accounts(alice_scope);
  const std::vector<std::pair<const char*, std::function<void()>>> actions{
      {"find", [&] { accounts.find("bob"); }},
      {"disable", [&] { accounts.disable("bob"); }},
      {"enable", [&] { accounts.enable("bob"); }},
      {"reset", [&] { accounts.reset_password("bob"); }},
      {"find operator", [&] { accounts.find("oper"); }},
      {"disable operator", [&] { accounts.disable("oper"); }},
      {"reset operator", [&] { accounts.reset_password("oper"); }},
      {"add to other tenant", [&] { accounts.add({"mallory", AdminRole::TenantAdmin, "beta", std::nullopt}); }},
      {"list other tenant", [&] { accounts.list("beta"); }},
  };
  for (const auto& [name, action] : actions) {
    INFO(name);
    CHECK(code_of(action) == ErrorCode::NotFound);
  }
  CHECK(code_of([&] { accounts.add({"mallory", AdminRole::Operator, std::nullopt, std::nullopt}); }) ==
        ErrorCode::PolicyViolation);
  CHECK_FALSE(f.store->admin_users().find_by_username("mallory"));
  CHECK_FALSE(f.store->admin_users().find_by_username("bob")->disabled);
  // Only alice's own tenant is listed.
  const auto listed = accounts.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].username == "alice");

  SECTION("own tenant: add, disable, enable, reset, audited with the actor") {
    auto created = accounts.add({"carol", AdminRole::TenantAdmin, "acme", std::nullopt});
    REQUIRE(created.generated_password);
    CHECK(created.user.must_change_password);
    CHECK(crypto::verify_password(*created.generated_password, created.user.password_hash));
    CHECK(audited(*f.store, "admin:alice", "admin.add", "admin:carol"));
    accounts.disable("carol");
    CHECK(audited(*f.store, "admin:alice", "admin.disable", "admin:carol"));
    accounts.enable("carol");
    CHECK(audited(*f.store, "admin:alice", "admin.enable", "admin:carol"));
    accounts.reset_password("carol");
    CHECK(audited(*f.store, "admin:alice", "admin.reset", "admin:carol"));
    CHECK(code_of([&] { accounts.disable("alice"); }) == ErrorCode::InvalidArgument);
    // The audit log never holds a password or a hash.
    for (const auto& e : f.store->audit().list(500, 0)) {
      CHECK(e.detail.find(*created.generated_password) == std::string::npos);
      CHECK(e.detail.find("$argon2") == std::string::npos);
    }
  }
  SECTION("the operator manages every tenant and creates operators") {
    auto op_accounts = f.accounts(service::TenantScope::of(f.op));
    CHECK(op_accounts.list().size() == 3);
    op_accounts.disable("bob");
    op_accounts.add({"op2", AdminRole::Operator, std::nullopt, std::nullopt});
    CHECK(audited(*f.store, "admin:oper", "admin.disable", "admin:bob"));
    CHECK(audited(*f.store, "admin:oper", "admin.add", "admin:op2"));
  }
}

TEST_CASE("tenant isolation: login history rows of another tenant are not shown", "[admin]") {
  AdminFixture f;
  f.policy.require_client_cert = false;
  auto login = f.login();
  login.authenticate(f.request("alice", kPassword, "192.0.2.1"));
  login.authenticate(f.request("bob", kPassword, "192.0.2.2"));
  login.authenticate(f.request("bob", "wrong password!", "192.0.2.2"));
  login.authenticate(f.request("nobody", kPassword, "192.0.2.3"));
  login.authenticate(f.request("oper", kPassword, "192.0.2.4"));

  service::AdminQueries alice(*f.store, f.clock, service::TenantScope::of(f.alice));
  const auto mine = alice.login_history();
  REQUIRE(mine.rows.size() == 1);
  CHECK(mine.total == 1);
  CHECK(mine.rows[0].username == "alice");

  service::AdminQueries op(*f.store, f.clock, service::TenantScope::of(f.op));
  CHECK(op.login_history().total == 5);
  CHECK(op.login_history("beta").total == 2);
}

TEST_CASE("admin rules: usernames, password policy", "[admin]") {
  AdminFixture f;
  auto accounts = f.accounts(f.cli_scope());
  for (const char* bad : {"ab", "Alice", "-x-admin", "white space", "a/b", ""}) {
    INFO(bad);
    CHECK(code_of([&] { accounts.add({bad, AdminRole::TenantAdmin, "acme", std::nullopt}); }) ==
          ErrorCode::InvalidArgument);
  }
  CHECK(code_of([&] { accounts.add({"dave", AdminRole::TenantAdmin, "acme", "eleven char"}); }) ==
        ErrorCode::InvalidArgument);
  CHECK(code_of([&] { accounts.add({"dave.user.12", AdminRole::TenantAdmin, "acme", "dave.user.12"}); }) ==
        ErrorCode::InvalidArgument);
  CHECK(code_of([&] { accounts.add({"dave", AdminRole::TenantAdmin, "acme", "twelve chars"}); }) !=
        ErrorCode::InvalidArgument);
  CHECK(code_of([&] { accounts.add({"dave", AdminRole::TenantAdmin, "acme", "twelve chars"}); }) ==
        ErrorCode::AlreadyExists);
  CHECK(code_of([&] { accounts.add({"erin", AdminRole::TenantAdmin, "nowhere", "twelve chars"}); }) ==
        ErrorCode::NotFound);
  CHECK(code_of([&] { accounts.add({"erin", AdminRole::Operator, "acme", "twelve chars"}); }) ==
        ErrorCode::InvalidArgument);
  CHECK(code_of([&] { accounts.add({"erin", AdminRole::TenantAdmin, std::nullopt, "twelve chars"}); }) ==
        ErrorCode::InvalidArgument);
  CHECK(audited(*f.store, "test:fixture", "admin.add", "admin:dave"));
}
