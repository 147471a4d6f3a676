#pragma once
// Two tenants (acme, beta) on a real CA, with an operator and one administrator per tenant, for
// the management-site services. Passwords use the cheap Argon2id parameters: same code path,
// a fraction of the cost, so throttling tests can make hundreds of attempts.
#include <string>

#include "ca/service/admin/admin_accounts.hpp"
#include "ca/service/admin/admin_login.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/store/admin_repositories.hpp"
#include "service_fixture.hpp"

namespace inkan::admin_test {

inline constexpr const char* kPassword = "correct horse battery";

struct AdminFixture : service_test::CaFixture {
  service::AdminLoginPolicy policy;
  AdminUser op, alice, bob;  // operator; acme admin; beta admin

  AdminFixture() {
    policy.hashing = crypto::kTestPasswordHash;
    service::Tenants(*store, clock, actor).add("beta", "Beta Care");
    op = add("oper", AdminRole::Operator, std::nullopt);
    alice = add("alice", AdminRole::TenantAdmin, "acme");
    bob = add("bob", AdminRole::TenantAdmin, "beta");
  }

  service::AdminAccounts accounts(const service::TenantScope& scope) {
    return service::AdminAccounts(*store, clock, *rng, scope, crypto::kTestPasswordHash);
  }
  service::TenantScope cli_scope() { return service::TenantScope::cli(actor); }

  AdminUser add(const std::string& name, AdminRole role, std::optional<std::string> tenant) {
    service::NewAdmin req{name, role, std::move(tenant), std::string(kPassword)};
    return accounts(cli_scope()).add(req).user;
  }

  service::AdminLogin login() { return service::AdminLogin(*store, clock, *rng, policy); }

  // An issued certificate of `tenant`, with its credential. An administrator certificate is bound
  // to `admin`, by default the tenant's administrator (alice, bob) or the operator.
  CertificateRecord issue(service::Keyring& keyring, const std::string& tenant, CertKind kind,
                          const std::string& cn, std::optional<std::string> admin = std::nullopt) {
    service::Issuer issuer(*store, keyring, clock, *rng, actor);
    service::IssueRequest req;
    req.tenant_id = tenant;
    req.common_name = cn;
    req.kind = kind;
    if (!admin && kind == CertKind::TenantAdmin) admin = tenant == "acme" ? "alice" : "bob";
    if (!admin && kind == CertKind::Operator) admin = "oper";
    req.admin_username = admin;
    req.key_type = KeyType::EcP256;
    return issuer.issue(req).record;
  }

  service::LoginRequest request(const std::string& user, const std::string& password,
                                const std::string& address,
                                std::optional<std::string> cert = std::nullopt) {
    service::LoginRequest r;
    r.username = user;
    r.password = password;
    r.peer_address = address;
    r.client_cert_sha256 = std::move(cert);
    return r;
  }
};

inline ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return static_cast<ErrorCode>(-1);  // no error: never equal to an expected code
}

}  // namespace inkan::admin_test
