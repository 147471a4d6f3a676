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

namespace {

// What the stored CRL lists, in one value: a stored CRL whose digest differs is stale.
std::string entries_digest(const std::vector<RevokedEntry>& entries) {
  std::string text;
  for (const auto& e : entries)
    text += e.serial.hex() + "|" + format_rfc3339(e.revoked_at) + "|" + std::string(to_string(e.reason)) + "\n";
  return crypto::sha256_hex(text);
}

}  // namespace

StoredCrl Revocation::sign_and_store(const CaRecord& ca, Keyring& keyring, crypto::Rng& rng,
                                     std::chrono::seconds lifetime, std::vector<RevokedEntry> entries) {
  const auto& signer = keyring.ca(store_, ca.id);
  crypto::CrlTemplate t;
  t.number = store_.cas().next_crl_number(ca.id);
  t.this_update = clock_.now();
  t.next_update = t.this_update + lifetime;
  StoredCrl out;
  out.ca_id = ca.id;
  out.number = t.number;
  out.this_update = t.this_update;
  out.next_update = t.next_update;
  out.entries_digest = entries_digest(entries);
  t.entries = std::move(entries);
  out.der = signer.make_crl(t, rng);
  store_.cas().put_published_crl(out);
  record(store_, clock_, actor_, "crl.publish", "ca:" + std::to_string(ca.id),
         "number=" + std::to_string(t.number) + " entries=" + std::to_string(t.entries.size()));
  return out;
}

PublishedCrl Revocation::publish_crl(Keyring& keyring, crypto::Rng& rng, std::chrono::seconds lifetime,
                                     std::optional<std::int64_t> ca_id) {
  if (lifetime <= std::chrono::seconds(0))
    throw Error(ErrorCode::InvalidArgument, "CRL lifetime must be positive");
  auto ca = ca_id ? store_.cas().find(*ca_id) : store_.cas().active_issuing();
  if (!ca) throw Error(ErrorCode::InvalidState, "no issuing CA to publish a CRL for");
  apply_predecessor_policy(store_, clock_);  // predecessors due by now are on this CRL
  (void)keyring.ca(store_, ca->id);          // unlocked before the write lock is taken

  auto tx = store_.begin();
  auto entries = store_.certificates().revoked(ca->id);
  const auto count = entries.size();
  auto crl = sign_and_store(*ca, keyring, rng, lifetime, std::move(entries));
  tx->commit();  // the number is spent only if the CRL was made
  return {crl.der, crl.number, count, crl.this_update, crl.next_update};
}

StoredCrl Revocation::current_crl(Keyring& keyring, crypto::Rng& rng, std::chrono::seconds lifetime,
                                  std::chrono::seconds max_age, std::int64_t ca_id) {
  auto ca = store_.cas().find(ca_id);
  if (!ca) throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(ca_id));
  apply_predecessor_policy(store_, clock_);  // a predecessor due now changes the entries
  auto current = [&](const std::optional<StoredCrl>& c, const std::string& digest) {
    const auto now = clock_.now();
    return c && c->entries_digest == digest && now - c->this_update < max_age && now < c->next_update;
  };
  if (auto stored = store_.cas().published_crl(ca_id); current(stored, entries_digest(store_.certificates().revoked(ca_id))))
    return *stored;
  (void)keyring.ca(store_, ca_id);  // unlocked before the write lock is taken

  auto tx = store_.begin();
  // Read again under the write lock: another node may have signed meanwhile.
  auto entries = store_.certificates().revoked(ca_id);
  if (auto stored = store_.cas().published_crl(ca_id); current(stored, entries_digest(entries))) return *stored;
  auto crl = sign_and_store(*ca, keyring, rng, lifetime, std::move(entries));
  tx->commit();
  return crl;
}

}  // namespace inkan::service
