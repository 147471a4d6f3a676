#pragma once
// Creating a PKCS#10 request for one of our own CA keys (the offline-root rollover sequence).
// The request asks for CA:TRUE, pathlen 0; a signer following design.md §4 ignores that anyway.
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/cert_template.hpp"
#include "ca/domain/records.hpp"

namespace inkan::crypto {

class Rng;

// DER of a PKCS#10 request for `subject`, signed by `key`.
Bytes create_ca_csr(const DistinguishedName& subject, const PrivateKey& key, Rng& rng);

}  // namespace inkan::crypto
