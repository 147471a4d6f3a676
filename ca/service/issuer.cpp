#include "ca/service/issuer.hpp"

#include "ca/crypto/certificate.hpp"
#include "ca/crypto/csr.hpp"
#include "ca/crypto/key.hpp"
#include "ca/crypto/password.hpp"
#include "ca/crypto/pkcs12.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/settings_keys.hpp"

namespace inkan::service {

struct Issuer::Prepared {
  Tenant tenant;
  CaRecord ca;
  CertificateTemplate tmpl;
  Reservation reservation;
};

Issuer::Prepared Issuer::prepare(const std::string& tenant_id, const std::string& cn, CertKind kind,
                                 KeyType key_type, const std::optional<Validity>& validity,
                                 const std::optional<Timestamp>& not_before,
                                 const std::optional<std::string>& email) {
  policy::validate_tenant_id(tenant_id);
  policy::validate_common_name(cn);
  if (email) policy::validate_email(*email);
  auto tenant = store_.tenants().find(tenant_id);
  if (!tenant) throw Error(ErrorCode::NotFound, "unknown tenant '" + tenant_id + "': add it with `inkan tenant add`");
  auto ca = store_.cas().active_issuing();
  if (!ca) throw Error(ErrorCode::InvalidState, "no active issuing CA: run `inkan init` first");

  const auto now = clock_.now();
  policy::ClientCertificateRequest creq;
  creq.organization = tenant->name;
  creq.common_name = cn;
  creq.kind = kind;
  creq.key_type = key_type;
  creq.email = email;
  creq.not_before = not_before.value_or(now);
  creq.validity = validity.value_or(policy::kDefaultClientValidity);
  creq.crl_url = store_.settings().get(settings_keys::kCrlUrl);

  Prepared p{*tenant, *ca, policy::client_template(creq, crypto::random_serial(rng_)), {}};
  policy::check_within_issuer(p.tmpl, ca->not_after);

  auto& r = p.reservation;
  r.serial = p.tmpl.serial;
  r.ca_id = ca->id;
  r.tenant_id = tenant_id;
  r.cn = cn;
  r.kind = kind;
  r.key_type = key_type;
  r.email = email;
  r.requested_at = now;
  r.not_before = p.tmpl.not_before;
  r.not_after = p.tmpl.not_after;
  return p;
}

namespace {

std::string_view audit_action(IssueReason reason) {
  switch (reason) {
    case IssueReason::New: return "cert.issue";
    case IssueReason::Renewal: return "cert.renew";
    case IssueReason::Reissue: return "cert.reissue";
  }
  return "cert.issue";
}

}  // namespace

CertificateRecord Issuer::sign_and_commit(
    Prepared& p, const Bytes& spki, IssueReason reason, bool allow_revoked_predecessor,
    const std::function<std::optional<Credential>(const Bytes& cert_der)>& make_credential) {
  const auto& signer = keyring_.issuing_ca(store_);  // decrypts the CA key before anything is written
  {
    auto tx = store_.begin();
    store_.certificates().reserve(p.reservation);
    tx->commit();
  }
  IssuedCertificate issued;
  try {
    issued.cert_der = signer.issue(p.tmpl, spki, rng_);
    issued.sha256 = crypto::sha256_hex(issued.cert_der);
    issued.issued_at = clock_.now();
    issued.credential = make_credential(issued.cert_der);
    auto tx = store_.begin();
    store_.certificates().commit_issued(p.reservation.serial, issued);
    const auto& pred = p.reservation.predecessor;
    if (pred && !store_.certificates().link_successor(*pred, p.reservation.serial, allow_revoked_predecessor))
      throw Error(ErrorCode::Conflict, "certificate " + pred->hex() + " was renewed or revoked meanwhile");
    record(store_, clock_, actor_, audit_action(reason), "cert:" + p.reservation.serial.hex(),
           "tenant=" + p.reservation.tenant_id + " cn=" + p.reservation.cn + " kind=" +
               std::string(to_string(p.reservation.kind)) + (pred ? " predecessor=" + pred->hex() : ""));
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
  auto p = prepare(req.tenant_id, req.common_name, req.kind, req.key_type, req.validity, req.not_before, req.email);
  p.reservation.predecessor = req.predecessor;
  auto key = crypto::PrivateKey::generate(req.key_type, rng_);
  IssuedCredential out;
  out.password = crypto::generate_p12_password(rng_);
  out.profile = req.p12_profile;

  auto make_credential = [&](const Bytes& cert_der) -> std::optional<Credential> {
    const auto& signer = keyring_.issuing_ca(store_);
    crypto::Pkcs12Input in;
    in.private_key_pkcs8_der = key.to_pkcs8_der();
    in.cert_der = cert_der;
    in.chain_der = {signer.cert_der()};
    if (auto root = store_.cas().find(p.ca.parent_id.value_or(0))) in.chain_der.push_back(root->cert_der);
    in.friendly_name = policy::friendly_name(req.common_name, clock_.now());
    in.password = out.password;
    in.profile = req.p12_profile;
    out.p12 = crypto::build_pkcs12(in);
    auto sealed = keyring_.data_key().seal(out.password, p.reservation.serial.hex(), rng_);
    return Credential{out.p12, req.p12_profile, sealed.nonce, sealed.ciphertext};
  };
  out.record = sign_and_commit(p, key.public_key_der(), req.reason, req.allow_revoked_predecessor, make_credential);
  out.file_stem = policy::credential_file_stem(req.tenant_id, req.common_name, out.record.serial);
  return out;
}

CertificateRecord Issuer::sign_csr(const CsrSignRequest& req) {
  auto csr = crypto::parse_csr(req.csr);
  std::string cn = req.common_name.value_or(csr.subject.common_name);
  if (cn.empty()) throw Error(ErrorCode::InvalidCsr, "the CSR has no CN: pass --cn");
  auto p = prepare(req.tenant_id, cn, req.kind, csr.key_type, req.validity, req.not_before, std::nullopt);
  p.reservation.predecessor = req.predecessor;
  return sign_and_commit(p, csr.public_key_der, req.reason, false,
                         [](const Bytes&) { return std::nullopt; });
}

}  // namespace inkan::service
