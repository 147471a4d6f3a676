#include "ca/service/lifecycle/self_service.hpp"

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/csr.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/lifecycle/predecessor_policy.hpp"

namespace inkan::service {
namespace {

SelfRenewal renewal_of(const CertificateRecord& cert, policy::RenewalVerdict verdict) {
  if (cert.kind != CertKind::Terminal) return SelfRenewal::AdministratorOnly;
  switch (verdict) {
    case policy::RenewalVerdict::Renewable: return SelfRenewal::Allowed;
    case policy::RenewalVerdict::AlreadyRenewed: return SelfRenewal::AlreadyRenewed;
    case policy::RenewalVerdict::TooEarly: return SelfRenewal::TooEarly;
    default: return SelfRenewal::NotAllowed;
  }
}

}  // namespace

std::string Holder::actor_name() const { return "portal:" + (cert ? cert->serial.hex() : std::string("unknown")); }

Holder SelfService::identify(const std::string& sha256) {
  Holder h;
  auto rec = store_.certificates().find_by_sha256(sha256);
  if (!rec || rec->state == CertState::Reserved) return h;
  // A renewed certificate whose tenant revokes predecessors may have become revoked by now.
  if (rec->state == CertState::Superseded && apply_predecessor_policy(store_, clock_) > 0)
    rec = store_.certificates().find(rec->serial);
  const auto now = clock_.now();
  h.cert = rec;
  h.status = rec->status_at(now);
  if (auto t = store_.tenants().find(rec->tenant_id)) h.tenant_name = t->name;
  Renewer renewer(store_, keyring_, clock_, rng_, Actor{h.actor_name()});
  h.window_days = renewer.window_days(rec->tenant_id);
  auto a = policy::assess_renewal(*rec, now, h.window_days);
  h.days_left = a.days_left;
  h.window_opens = a.window_opens;
  if (rec->successor) h.successor = store_.certificates().find(*rec->successor);

  if (h.status == CertStatus::Revoked) h.access = HolderAccess::Revoked;
  else if (h.status == CertStatus::Expired) h.access = HolderAccess::Expired;
  else if (now < rec->not_before) h.access = HolderAccess::NotYetValid;
  else h.access = HolderAccess::Granted;
  if (h.access == HolderAccess::Granted) h.renewal = renewal_of(*rec, a.verdict);
  // Issue 14 item 8: the revoked successor (and its password) was handed out again. Issuing a new
  // successor instead would undo an administrator's revocation; so neither: refused.
  if (h.access == HolderAccess::Granted && h.successor && h.successor->state == CertState::Revoked)
    h.renewal = SelfRenewal::SuccessorRevoked;
  return h;
}

void SelfService::require_renewable(const Holder& h) const {
  if (h.access != HolderAccess::Granted || !h.cert)
    throw Error(ErrorCode::InvalidState, "this certificate cannot renew itself");
  switch (h.renewal) {
    case SelfRenewal::Allowed:
    case SelfRenewal::AlreadyRenewed:
      return;
    case SelfRenewal::AdministratorOnly:
      throw Error(ErrorCode::PolicyViolation, "administrator certificates are renewed by administrators");
    case SelfRenewal::TooEarly:
      throw Error(ErrorCode::PolicyViolation, "renewal opens on " + format_date(h.window_opens));
    case SelfRenewal::SuccessorRevoked:
      throw Error(ErrorCode::Conflict, "the successor of this certificate was revoked; ask an administrator");
    case SelfRenewal::NotAllowed:
      break;
  }
  throw Error(ErrorCode::InvalidState, "this certificate cannot renew itself");
}

RenewalResult SelfService::renew(const Holder& h, std::optional<P12Profile> profile) {
  require_renewable(h);
  Renewer renewer(store_, keyring_, clock_, rng_, Actor{h.actor_name()});
  RenewOptions o;
  o.p12_profile = profile;
  return renewer.renew(h.cert->serial, o);
}

// A renewal needs a new key (issue 14 item 3): the key of the presented certificate or of any
// certificate before it in its lineage would otherwise live for ever through renewals.
std::optional<Serial> SelfService::lineage_key_owner(const Holder& h, const Bytes& public_key_der) const {
  if (!h.cert) return std::nullopt;
  for (std::optional<Serial> s = h.cert->serial; s;) {
    auto c = store_.certificates().find(*s);
    if (!c) break;
    if (!c->cert_der.empty() && crypto::inspect_certificate(c->cert_der).public_key_der == public_key_der)
      return c->serial;
    s = c->predecessor;
  }
  return std::nullopt;
}

std::optional<Serial> SelfService::reused_key(const Holder& h, std::string_view csr_text) const {
  return lineage_key_owner(h, crypto::parse_csr(csr_text).public_key_der);
}

CertificateRecord SelfService::reenroll(const Holder& h, std::string_view csr_text) {
  require_renewable(h);
  auto csr = crypto::parse_csr(csr_text);
  auto presented = crypto::inspect_certificate(h.cert->cert_der);
  if (!(csr.subject == presented.subject_dn))
    throw Error(ErrorCode::InvalidCsr, "the CSR's subject must be the certificate's subject (CN=" +
                                           presented.subject_dn.common_name + ", O=" +
                                           presented.subject_dn.organization + ")");
  if (auto owner = lineage_key_owner(h, csr.public_key_der))
    throw Error(ErrorCode::Conflict, "the CSR carries the key of certificate " + owner->hex() +
                                         " of this lineage; renewal needs a new key pair");
  auto existing = [&]() -> std::optional<CertificateRecord> {
    auto fresh = store_.certificates().find(h.cert->serial);
    if (!fresh || !fresh->successor) return std::nullopt;
    auto succ = store_.certificates().find(*fresh->successor);
    if (!succ || succ->cert_der.empty()) return std::nullopt;
    if (crypto::inspect_certificate(succ->cert_der).public_key_der != csr.public_key_der)
      throw Error(ErrorCode::Conflict, "certificate " + h.cert->serial.hex() + " was already renewed as " +
                                           succ->serial.hex() + " with another key");
    return succ;
  };
  if (auto succ = existing()) return *succ;

  CsrSignRequest req;
  req.tenant_id = h.cert->tenant_id;
  req.csr = std::string(csr_text);
  req.common_name = h.cert->cn;
  req.kind = h.cert->kind;
  req.predecessor = h.cert->serial;
  req.reason = IssueReason::Renewal;
  Issuer issuer(store_, keyring_, clock_, rng_, Actor{h.actor_name()});
  try {
    return issuer.sign_csr(req);
  } catch (const Error& e) {
    // A concurrent re-enrolment won: the same key gets its certificate, another key a Conflict.
    if (e.code() != ErrorCode::AlreadyExists && e.code() != ErrorCode::Conflict) throw;
    if (auto succ = existing()) return *succ;
    throw;
  }
}

const CertificateRecord& SelfService::require_successor(const Holder& h, const Serial& serial) const {
  if (h.access != HolderAccess::Granted || !h.successor || h.successor->serial != serial)
    throw Error(ErrorCode::NotFound, "no such download for this certificate");
  if (h.renewal == SelfRenewal::SuccessorRevoked)
    throw Error(ErrorCode::Conflict, "the successor of this certificate was revoked; ask an administrator");
  return *h.successor;
}

Bytes SelfService::successor_p12(const Holder& h, const Serial& serial, std::optional<P12Profile> profile) {
  require_successor(h, serial);
  return Credentials(store_, keyring_, clock_, rng_, Actor{h.actor_name()}).p12(serial, profile);
}

std::optional<P12Profile> SelfService::delivered_profile(const Holder& h) const {
  if (!h.cert || !h.cert->has_credential) return std::nullopt;
  auto credential = store_.certificates().credential(h.cert->serial);
  if (!credential) return std::nullopt;
  return credential->profile;
}

std::string SelfService::successor_file_stem(const Holder& h, const Serial& serial) {
  const auto& s = require_successor(h, serial);
  return policy::credential_file_stem(s.tenant_id, s.cn, s.serial);
}

}  // namespace inkan::service
