#pragma once
// Revocation and CRL publication.
#include <chrono>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/domain/records.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

inline constexpr std::chrono::seconds kDefaultCrlLifetime = std::chrono::hours(24 * 7);

struct PublishedCrl {
  Bytes der;
  std::uint64_t number = 0;
  std::size_t entries = 0;
  Timestamp this_update{};
  Timestamp next_update{};
};

class Revocation {
 public:
  Revocation(Store& store, const Clock& clock, Actor actor) : store_(store), clock_(clock), actor_(std::move(actor)) {}

  // Throws NotFound for an unknown serial, InvalidState for one already revoked.
  CertificateRecord revoke(const Serial& serial, RevocationReason reason);
  // Every certificate of the lineage of `serial` (its predecessors and successors, itself
  // included) that is not revoked yet, in one transaction, each audited; for keyCompromise, when
  // one key of a holder leaks the whole line goes. Returns those revoked now (oldest first);
  // NotFound for an unknown serial, InvalidState when all were revoked already.
  std::vector<CertificateRecord> revoke_lineage(const Serial& serial, RevocationReason reason);
  // A revoked certificate's reason, corrected (say unspecified -> keyCompromise); the revocation
  // date stays. Audited (cert.revoke.reason, old and new). NotFound unless it is revoked;
  // InvalidState when it already has that reason.
  CertificateRecord correct_reason(const Serial& serial, RevocationReason reason);

  // A v2 CRL of the given CA (default: the active issuing CA) with the next CRL number, stored
  // as the CA's published CRL (what every `inkan serve` node then serves).
  PublishedCrl publish_crl(Keyring& keyring, crypto::Rng& rng,
                           std::chrono::seconds lifetime = kDefaultCrlLifetime,
                           std::optional<std::int64_t> ca_id = std::nullopt);

  // The CA's CRL as every node serves it (issue 22 item 3): the stored one while it is younger
  // than `max_age`, before its nextUpdate and lists the CA's revocations as they are now; else a
  // new one, signed and stored inside the write transaction that takes its number. A node that
  // finds, once it holds the write lock, that another node has just stored a current one serves
  // that: one node at a time signs a CA's CRL, and CRL numbers only grow.
  StoredCrl current_crl(Keyring& keyring, crypto::Rng& rng, std::chrono::seconds lifetime,
                        std::chrono::seconds max_age, std::int64_t ca_id);

 private:
  // Signs, stores and audits the CA's next CRL; the caller holds the write transaction.
  StoredCrl sign_and_store(const CaRecord& ca, Keyring& keyring, crypto::Rng& rng, std::chrono::seconds lifetime,
                           std::vector<RevokedEntry> entries);
  CertificateRecord revoke_one(const Serial& serial, RevocationReason reason);
  Store& store_;
  const Clock& clock_;
  Actor actor_;
};

}  // namespace inkan::service
