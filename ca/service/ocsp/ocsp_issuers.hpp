#pragma once
// The CAs an OCSP request may ask about: every CA of this installation whose key is held here
// (issuing CAs after a rollover and the root included), with their CertID hashes in SHA-1
// (what nginx sends) and SHA-256 (RFC 9919's recommendation).
#include <vector>

#include "ca/crypto/ocsp/ocsp_request.hpp"
#include "ca/domain/records.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

class OcspIssuers {
 public:
  static OcspIssuers load(Store& store);

  // The CA whose name and key hashes the CertID carries (compared in the CertID's own hash),
  // or null: another issuer, a CA whose key is not here, or a hash we do not support.
  const CaRecord* match(const crypto::OcspCertId& id) const;
  const std::vector<CaRecord>& cas() const { return cas_; }

 private:
  struct Hashes {
    crypto::OcspIssuerHashes sha1, sha256;
  };
  std::vector<CaRecord> cas_;
  std::vector<Hashes> hashes_;  // parallel to cas_
};

}  // namespace inkan::service
