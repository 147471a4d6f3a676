#pragma once
// The delegated OCSP responder certificate of each CA whose key inkan holds
// (policy/ocsp_responder_profile.hpp): issued on first need and reissued when fewer than two
// days remain, like the server certificate (keys/server_certificate.hpp).
//
// It lives in its own table (ocsp_responders), never among the client certificates: it is not on
// the CRL and cannot log in. Its key is sealed under the data key (AES-256-GCM, bound to the
// serial), so unsealing costs microseconds where a passphrase-encrypted PEM would cost a
// PBKDF2 of 600,000 rounds at every start and renewal.
#include <chrono>
#include <cstdint>

#include "ca/crypto/rng.hpp"
#include "ca/domain/records.hpp"
#include "ca/policy/ocsp_responder_profile.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct ResponderCredential {
  std::int64_t ca_id = 0;
  Serial serial = Serial::from_bytes({1});
  Bytes cert_der;
  Bytes key_pkcs8_der;  // in memory only
  Timestamp not_after{};
  bool issued_now = false;
};

class ResponderCertificates {
 public:
  ResponderCertificates(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(std::move(actor)) {}

  // The CA's stored responder when more than `renew_before` of it remains, otherwise a new one
  // (EC P-256, seven days, bounded by the CA), stored and audited ("ocsp.responder.issue").
  // Error(InvalidState) when the CA's key is not held here or the CA ends within a day.
  ResponderCredential ensure(std::int64_t ca_id,
                             std::chrono::days renew_before = policy::kOcspResponderRenewBefore);

 private:
  ResponderCredential issue(const CaRecord& ca);

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
};

}  // namespace inkan::service
