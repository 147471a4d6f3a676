#pragma once
// The tenant policy "revoke the predecessor N days after renewal" (issue 18). A renewed
// certificate stays valid (superseded) until its tenant's N days have passed since its successor
// was issued; from then on it is revoked with reason superseded, dated that day. The revocation is
// stored and audited by the first reader that looks after that moment: `inkan list`/`show`/
// `expiring`, every CRL, and the portal's mutual-TLS check of a superseded certificate, so each
// of them already shows it revoked.
#include <cstddef>

#include "ca/store/store.hpp"

namespace inkan::service {

// Revokes every predecessor due at clock.now(), each in its own transaction with an audit entry
// (actor "policy:revoke-predecessor"). Returns how many it revoked. Safe to run concurrently: a
// certificate another process revoked first is skipped.
std::size_t apply_predecessor_policy(Store& store, const Clock& clock, std::size_t limit = 10000);

}  // namespace inkan::service
