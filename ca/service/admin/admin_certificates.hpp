#pragma once
// The certificate actions of the management site, each checked against the actor's TenantScope
// first and then delegated to the service that owns the rule (Credentials, Renewer, Revocation,
// Issuer). A certificate of another tenant is Error(NotFound) for every action, exactly as a
// missing one. The audit entries name the administrator ("admin:<username>").
#include <optional>
#include <string>

#include "ca/crypto/rng.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/issuance/password_slips.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/admin/tenant_scope.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

class AdminCertificates {
 public:
  AdminCertificates(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, TenantScope scope)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), scope_(std::move(scope)) {}

  CertificateRecord view(const Serial& serial);
  Bytes p12(const Serial& serial, std::optional<P12Profile> profile = std::nullopt);
  Bytes zip(const Serial& serial, std::optional<P12Profile> profile = std::nullopt);
  std::string file_stem(const Serial& serial);
  std::string reveal_password(const Serial& serial);  // audited as password.reveal
  // Printable password slips of a tenant in scope (NotFound otherwise), or of one batch job's
  // certificates of that tenant: PasswordSlips, audited as password.reveal.
  PasswordSlipSheet password_slips(const std::string& tenant_id, std::optional<std::int64_t> job_id);
  RenewalResult renew(const Serial& serial, const RenewOptions& options = {});
  RenewalResult reissue(const Serial& serial, const ReissueOptions& options = {});
  CertificateRecord revoke(const Serial& serial, RevocationReason reason);
  // The tenant must be in scope (NotFound otherwise).
  IssuedCredential issue(const IssueRequest& request);
  // 備考: at most 2,000 characters; audited as cert.notes (the text itself is not logged).
  CertificateRecord set_notes(const Serial& serial, const std::string& notes);

 private:
  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  TenantScope scope_;
};

}  // namespace inkan::service
