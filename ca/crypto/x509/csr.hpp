#pragma once
// PKCS#10 requests: only the public key and the subject are used. Every requested extension is
// ignored by construction: the CSR is never handed to Botan's sign_request (design.md §4).
#include <string>
#include <string_view>

#include "ca/domain/cert_template.hpp"
#include "ca/domain/records.hpp"

namespace inkan::crypto {

inline constexpr std::size_t kMaxCsrBytes = 64 * 1024;

struct CsrInfo {
  Bytes public_key_der;  // SubjectPublicKeyInfo
  KeyType key_type = KeyType::Rsa2048;
  DistinguishedName subject;
};

// Accepts PEM or DER. Verifies the self-signature. Throws Error(InvalidCsr) naming the problem,
// Error(PolicyViolation) for a key type we do not issue to.
CsrInfo parse_csr(std::string_view pem_or_der);

}  // namespace inkan::crypto
