#include "ca/service/lifecycle/revocation.hpp"

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/lifecycle/predecessor_policy.hpp"
#include "ca/service/monitoring/operation_events.hpp"

namespace inkan::service {

CertificateRecord Revocation::revoke(const Serial& serial, RevocationReason reason) {
  return observed(Operation::Revocation, [&] { return revoke_one(serial, reason); });
}

CertificateRecord Revocation::revoke_one(const Serial& serial, RevocationReason reason) {
  auto tx = store_.begin();
  auto rec = store_.certificates().find(serial);
  if (!rec || rec->state == CertState::Reserved)
    throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
  if (rec->state == CertState::Revoked)
    throw Error(ErrorCode::InvalidState, "certificate " + serial.hex() + " is already revoked");
  store_.certificates().revoke(serial, reason, clock_.now());
  record(store_, clock_, actor_, "cert.revoke", "cert:" + serial.hex(), "reason=" + std::string(to_string(reason)));
  tx->commit();
  return *store_.certificates().find(serial);
}

CertificateRecord Revocation::correct_reason(const Serial& serial, RevocationReason reason) {
  auto tx = store_.begin();
  auto rec = store_.certificates().find(serial);
  if (!rec || rec->state != CertState::Revoked)
    throw Error(ErrorCode::NotFound, "certificate " + serial.hex() + " is not revoked: nothing to correct");
  const auto old = rec->revocation_reason.value_or(RevocationReason::Unspecified);
  if (old == reason)
    throw Error(ErrorCode::InvalidState, "certificate " + serial.hex() + " is already revoked for " + std::string(to_string(reason)));
  store_.certificates().correct_revocation_reason(serial, reason);
  record(store_, clock_, actor_, "cert.revoke.reason", "cert:" + serial.hex(),
         "reason=" + std::string(to_string(old)) + "->" + std::string(to_string(reason)));
  tx->commit();
  return *store_.certificates().find(serial);
}

std::vector<CertificateRecord> Revocation::revoke_lineage(const Serial& serial, RevocationReason reason) {
  auto tx = store_.begin();
  auto start = store_.certificates().find(serial);
  if (!start || start->state == CertState::Reserved)
    throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
  std::vector<CertificateRecord> line{*start};
  for (auto p = start->predecessor; p;) {  // back to the first certificate
    auto rec = store_.certificates().find(*p);
    if (!rec) break;
    line.insert(line.begin(), *rec);
    p = rec->predecessor;
  }
  for (auto s = start->successor; s;) {  // forward to the newest
    auto rec = store_.certificates().find(*s);
    if (!rec) break;
    line.push_back(*rec);
    s = rec->successor;
  }
  std::vector<CertificateRecord> revoked;
  const auto now = clock_.now();
  for (const auto& rec : line) {
    if (rec.state == CertState::Revoked || rec.state == CertState::Reserved) continue;
    store_.certificates().revoke(rec.serial, reason, now);
    record(store_, clock_, actor_, "cert.revoke", "cert:" + rec.serial.hex(),
           "reason=" + std::string(to_string(reason)) + " lineage-of=" + serial.hex());
    revoked.push_back(*store_.certificates().find(rec.serial));
  }
  if (revoked.empty())
    throw Error(ErrorCode::InvalidState, "every certificate of the lineage of " + serial.hex() + " is already revoked");
  tx->commit();
  return revoked;
}

PublishedCrl Revocation::publish_crl(Keyring& keyring, crypto::Rng& rng, std::chrono::seconds lifetime,
                                     std::optional<std::int64_t> ca_id) {
  if (lifetime <= std::chrono::seconds(0))
    throw Error(ErrorCode::InvalidArgument, "CRL lifetime must be positive");
  auto ca = ca_id ? store_.cas().find(*ca_id) : store_.cas().active_issuing();
  if (!ca) throw Error(ErrorCode::InvalidState, "no issuing CA to publish a CRL for");
  apply_predecessor_policy(store_, clock_);  // predecessors due by now are on this CRL
  const auto& signer = keyring.ca(store_, ca->id);

  auto tx = store_.begin();
  crypto::CrlTemplate t;
  t.number = store_.cas().next_crl_number(ca->id);
  t.this_update = clock_.now();
  t.next_update = t.this_update + lifetime;
  t.entries = store_.certificates().revoked(ca->id);
  PublishedCrl out{signer.make_crl(t, rng), t.number, t.entries.size(), t.this_update, t.next_update};
  record(store_, clock_, actor_, "crl.publish", "ca:" + std::to_string(ca->id),
         "number=" + std::to_string(t.number) + " entries=" + std::to_string(t.entries.size()));
  tx->commit();  // the number is spent only if the CRL was made
  return out;
}

}  // namespace inkan::service
