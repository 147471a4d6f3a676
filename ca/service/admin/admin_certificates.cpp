#include "ca/service/admin/admin_certificates.hpp"

#include "ca/domain/error.hpp"
#include "ca/policy/admin_rules.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/lifecycle/revocation.hpp"

namespace inkan::service {

CertificateRecord AdminCertificates::view(const Serial& serial) { return scope_.certificate(store_, serial); }

Bytes AdminCertificates::p12(const Serial& serial, std::optional<P12Profile> profile) {
  scope_.certificate(store_, serial);
  return Credentials(store_, keyring_, clock_, rng_, scope_.actor()).p12(serial, profile);
}

Bytes AdminCertificates::zip(const Serial& serial, std::optional<P12Profile> profile) {
  scope_.certificate(store_, serial);
  return Credentials(store_, keyring_, clock_, rng_, scope_.actor()).zip(serial, profile);
}

std::string AdminCertificates::file_stem(const Serial& serial) {
  scope_.certificate(store_, serial);
  return Credentials(store_, keyring_, clock_, rng_, scope_.actor()).file_stem(serial);
}

std::string AdminCertificates::reveal_password(const Serial& serial) {
  scope_.certificate(store_, serial);
  return Credentials(store_, keyring_, clock_, rng_, scope_.actor()).reveal_password(serial);
}

PasswordSlipSheet AdminCertificates::password_slips(const std::string& tenant_id, std::optional<std::int64_t> job_id) {
  scope_.tenant(store_, tenant_id);
  return PasswordSlips(store_, keyring_, clock_, scope_.actor()).sheet(tenant_id, job_id);
}

namespace {

// Operator certificates are issued, renewed and reissued from the CLI only (issue 14 item 4): the
// site never hands one out, whoever is logged in.
void refuse_operator_certificate(CertKind kind) {
  if (kind == CertKind::Operator)
    throw Error(ErrorCode::PolicyViolation,
                "operator certificates are issued and renewed from the CLI only (inkan issue --kind operator)");
}

}  // namespace

RenewalResult AdminCertificates::renew(const Serial& serial, const RenewOptions& options) {
  refuse_operator_certificate(scope_.certificate(store_, serial).kind);
  return Renewer(store_, keyring_, clock_, rng_, scope_.actor()).renew(serial, options);
}

RenewalResult AdminCertificates::reissue(const Serial& serial, const ReissueOptions& options) {
  // The site offers reissue for an expired certificate, or a revoked one chosen explicitly; a
  // hand-made POST gets no more than that (a valid certificate is renewed, within its window).
  const auto cert = scope_.certificate(store_, serial);
  refuse_operator_certificate(cert.kind);
  const auto status = cert.status_at(clock_.now());
  if (status != CertStatus::Expired && !(status == CertStatus::Revoked && options.allow_revoked))
    throw Error(ErrorCode::PolicyViolation,
                "only an expired certificate, or a revoked one chosen explicitly, is reissued on the management "
                "site: renew a valid certificate instead");
  return Renewer(store_, keyring_, clock_, rng_, scope_.actor()).reissue(serial, options);
}

CertificateRecord AdminCertificates::revoke(const Serial& serial, RevocationReason reason) {
  scope_.certificate(store_, serial);
  return Revocation(store_, clock_, scope_.actor()).revoke(serial, reason);
}

IssuedCredential AdminCertificates::issue(const IssueRequest& request) {
  scope_.tenant(store_, request.tenant_id);
  refuse_operator_certificate(request.kind);
  // A tenant-admin certificate is for one account, which this administrator must be able to see:
  // a tenant administrator names only accounts of their own tenant (NotFound otherwise).
  if (request.kind == CertKind::TenantAdmin) {
    if (!request.admin_username)
      throw Error(ErrorCode::InvalidArgument, "choose the administrator this tenant-admin certificate is for");
    scope_.admin_user(store_, *request.admin_username);
  } else if (request.admin_username) {
    throw Error(ErrorCode::InvalidArgument, "only a tenant-admin certificate is issued for an administrator");
  }
  return Issuer(store_, keyring_, clock_, rng_, scope_.actor()).issue(request);
}

CertificateRecord AdminCertificates::set_notes(const Serial& serial, const std::string& notes) {
  policy::validate_notes(notes);
  auto tx = store_.begin();
  CertificateRecord rec = scope_.certificate(store_, serial);
  store_.certificates().set_notes(serial, notes);
  record(store_, clock_, scope_.actor(), "cert.notes", "cert:" + serial.hex(),
         std::to_string(notes.size()) + " octets");
  tx->commit();
  rec.notes = notes;
  return rec;
}

}  // namespace inkan::service
