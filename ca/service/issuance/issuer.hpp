#pragma once
// Issuance of client certificates, in the order of design.md §7: reserve the serial in one
// transaction, sign, then commit the certificate (with its credential) in another.
#include <functional>
#include <optional>
#include <string>

#include "ca/crypto/rng.hpp"
#include "ca/domain/admin.hpp"
#include "ca/domain/records.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/issuance/issuance_steps.hpp"  // IssueReason and the phases Issuer runs
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct IssueRequest {
  std::string tenant_id;
  std::string common_name;
  CertKind kind = CertKind::Terminal;
  KeyType key_type = KeyType::Rsa2048;
  std::optional<Validity> validity;      // default: 3 years
  std::optional<Timestamp> not_before;   // default: now (staging backdates)
  std::optional<std::string> email;
  P12Profile p12_profile = P12Profile::Compat;
  // Renewal and reissue: the certificate this one succeeds. Linked in the commit transaction;
  // Error(Conflict) if it gained a successor meanwhile (a concurrent renewal won).
  std::optional<Serial> predecessor;
  bool allow_revoked_predecessor = false;
  IssueReason reason = IssueReason::New;
  // A tenant-admin or operator certificate: the administrator account it logs in (issue 14
  // item 4), bound in the commit transaction. Required for an operator certificate. A successor
  // inherits its predecessor's binding instead.
  std::optional<std::string> admin_username;
};

// A credential ready to hand out: the PKCS#12 and its password. The password is returned once
// here and otherwise only through Exporter::reveal_password (audited).
struct IssuedCredential {
  CertificateRecord record;
  Bytes p12;
  std::string password;
  P12Profile profile = P12Profile::Compat;
  std::string file_stem;  // policy::credential_file_stem
};

struct CsrSignRequest {
  std::string tenant_id;
  std::string csr;  // PEM or DER
  std::optional<std::string> common_name;  // overrides the CSR's CN
  CertKind kind = CertKind::Terminal;
  std::optional<Validity> validity;
  std::optional<Timestamp> not_before;
  // Re-enrolment (EST simplereenroll): the certificate this one succeeds, linked in the commit
  // transaction exactly as IssueRequest::predecessor; Error(Conflict) if it gained a successor
  // or was revoked meanwhile.
  std::optional<Serial> predecessor;
  IssueReason reason = IssueReason::New;
};

class Issuer {
 public:
  Issuer(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(std::move(actor)) {}

  // Server-side key generation, delivered as PKCS#12.
  IssuedCredential issue(const IssueRequest& req);
  // The CSR's key and (unless overridden) its CN; every requested extension is ignored.
  CertificateRecord sign_csr(const CsrSignRequest& req);

 private:
  IssuedCredential issue_one(const IssueRequest& req);
  CertificateRecord sign_csr_one(const CsrSignRequest& req);
  struct Prepared;
  Prepared prepare(const std::string& tenant_id, const std::string& cn, CertKind kind, KeyType key_type,
                   const std::optional<Validity>& validity, const std::optional<Timestamp>& not_before,
                   const std::optional<std::string>& email);
  CertificateRecord sign_and_commit(Prepared& p, const Bytes& spki, IssueReason reason, bool allow_revoked_predecessor,
                                    const std::optional<AdminUser>& bind_to,
                                    const std::function<std::optional<Credential>(const Bytes& cert_der)>& make_credential);

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
};

}  // namespace inkan::service
