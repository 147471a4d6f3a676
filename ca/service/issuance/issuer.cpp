#include "ca/service/issuance/issuer.hpp"
#include "ca/service/monitoring/operation_events.hpp"

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/csr.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/crypto/secrets/password.hpp"
#include "ca/crypto/pkcs12/pkcs12.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/settings_keys.hpp"
#include "ca/service/issuance/admin_binding.hpp"
#include "ca/service/issuance/linted_signing.hpp"
#include "ca/store/admin_repositories.hpp"

namespace inkan::service {

// The phases of issuance_steps.hpp, run one after the other for a single certificate.
struct Issuer::Prepared : IssuancePlan {
  IssuanceContext ctx;
};

Issuer::Prepared Issuer::prepare(const std::string& tenant_id, const std::string& cn, CertKind kind,
                                 KeyType key_type, const std::optional<Validity>& validity,
                                 const std::optional<Timestamp>& not_before,
                                 const std::optional<std::string>& email) {
  IssuanceSpec spec{tenant_id, cn, kind, key_type, validity, not_before, email, std::nullopt};
  validate_issuance_names(spec);  // names first, then the lookups
  Prepared p;
  p.ctx = load_issuance_context(store_, tenant_id);
  static_cast<IssuancePlan&>(p) = plan_issuance(p.ctx, spec, clock_.now(), rng_);
  return p;
}

CertificateRecord Issuer::sign_and_commit(
    Prepared& p, const Bytes& spki, IssueReason reason, bool allow_revoked_predecessor,
    const std::optional<AdminUser>& bind_to, const std::function<std::optional<Credential>(const Bytes& cert_der)>& make_credential) {
  const auto& signer = keyring_.issuing_ca(store_);  // decrypts the CA key before anything is written
  {
    auto tx = store_.begin();
    store_.certificates().reserve(p.reservation);
    tx->commit();
  }
  IssuedCertificate issued;
  try {
    issued.cert_der = sign_linted(signer, p.tmpl, spki, rng_);
    issued.sha256 = crypto::sha256_hex(issued.cert_der);
    issued.issued_at = clock_.now();
    issued.credential = make_credential(issued.cert_der);
    auto tx = store_.begin();
    commit_issuance(store_, clock_, actor_, p.reservation, issued, reason, allow_revoked_predecessor);
    if (bind_to) {
      store_.admin_certificates().bind(p.reservation.serial, bind_to->id);
      record(store_, clock_, actor_, "admin.bind", "admin:" + bind_to->username, "cert:" + p.reservation.serial.hex());
    }
    tx->commit();
  } catch (...) {
    // Nothing left the process: the reservation can go. If even this fails, `doctor` reports it.
    try {
      auto tx = store_.begin();
      store_.certificates().drop_reservation(p.reservation.serial);
      tx->commit();
    } catch (...) {
    }
    throw;
  }
  auto rec = store_.certificates().find(p.reservation.serial);
  if (!rec) throw Error(ErrorCode::Store, "issued certificate vanished from the store");
  return *rec;
}

IssuedCredential Issuer::issue(const IssueRequest& req) {
  // A renewal or reissue (a predecessor) is counted by the Renewer that asked for it.
  if (!req.predecessor) return observed(Operation::Issuance, [&] { return issue_one(req); });
  return issue_one(req);
}

IssuedCredential Issuer::issue_one(const IssueRequest& req) {
  auto p = prepare(req.tenant_id, req.common_name, req.kind, req.key_type, req.validity, req.not_before, req.email);
  p.reservation.predecessor = req.predecessor;
  // A successor inherits its predecessor's account (the store copies the binding as it links).
  const auto bind_to = req.predecessor ? std::nullopt
                                       : admin_for_new_certificate(store_, req.kind, req.tenant_id, req.admin_username);
  auto key = crypto::PrivateKey::generate(req.key_type, rng_);
  IssuedCredential out;
  out.password = crypto::generate_p12_password(rng_);
  out.profile = req.p12_profile;

  // SignedHere: the certificate was just signed over this key's SPKI, so build_pkcs12 need not
  // decode both to compare them (OpenSSL's provider decoders: half the cost of a compat p12).
  auto make_credential = [&](const Bytes& cert_der) -> std::optional<Credential> {
    auto cred = package_credential(key.to_pkcs8_der(), cert_der, p, p.ctx.chain_der, keyring_.data_key(),
                                   req.p12_profile, clock_.now(), out.password, rng_, KeyOrigin::SignedHere);
    out.p12 = cred.p12;
    return cred;
  };
  out.record = sign_and_commit(p, key.public_key_der(), req.reason, req.allow_revoked_predecessor, bind_to,
                               make_credential);
  out.file_stem = policy::credential_file_stem(req.tenant_id, req.common_name, out.record.serial);
  return out;
}

CertificateRecord Issuer::sign_csr(const CsrSignRequest& req) {
  // With a predecessor this is an EST re-enrolment: a renewal.
  return observed(req.predecessor ? Operation::Renewal : Operation::Issuance, [&] { return sign_csr_one(req); });
}

CertificateRecord Issuer::sign_csr_one(const CsrSignRequest& req) {
  auto csr = crypto::parse_csr(req.csr);
  std::string cn = req.common_name.value_or(csr.subject.common_name);
  if (cn.empty()) throw Error(ErrorCode::InvalidCsr, "the CSR has no CN: pass --cn");
  if (req.kind == CertKind::Operator && !req.predecessor)
    throw Error(ErrorCode::InvalidArgument,
                "operator certificates are issued with `inkan issue --kind operator --admin NAME`, not from a CSR");
  auto p = prepare(req.tenant_id, cn, req.kind, csr.key_type, req.validity, req.not_before, std::nullopt);
  p.reservation.predecessor = req.predecessor;
  return sign_and_commit(p, csr.public_key_der, req.reason, false, std::nullopt,
                         [](const Bytes&) { return std::nullopt; });
}

}  // namespace inkan::service
