#pragma once
// OCSP responses (RFC 6960 §4.2) built and signed with OpenSSL 3, which Botan 2 cannot do
// (design.md §4). A delegated responder certificate signs; its key stays inside OcspSigner.
#include <memory>
#include <optional>
#include <vector>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

enum class OcspCertStatus { Good, Revoked, Unknown };

// One SingleResponse.
struct OcspSingleAnswer {
  Bytes cert_id_der;  // the request's CertID, echoed
  OcspCertStatus status = OcspCertStatus::Unknown;
  Timestamp revoked_at{};                      // Revoked only
  std::optional<RevocationReason> reason;      // Revoked only
  Timestamp this_update{};
  Timestamp next_update{};
};

// The unsigned responseStatus values (RFC 6960 §4.2.1) a responder sends without a body.
enum class OcspFailure { MalformedRequest = 1, InternalError = 2, TryLater = 3, Unauthorized = 6 };

// An OCSPResponse with only the responseStatus: never signed (RFC 6960 §2.3).
Bytes ocsp_failure_response(OcspFailure failure);

// What a response says, read back (for `inkan ocsp` to report, and for tests). The signature is
// not checked here: relying parties do that against their trust store.
struct OcspResponseSummary {
  int response_status = -1;  // 0 successful, else an OcspFailure value
  std::vector<OcspSingleAnswer> answers;  // cert_id_der, status, times, reason
  std::optional<Bytes> nonce;             // the nonce extension's value, when present
  Bytes responder_cert_der;               // the first certificate in `certs`, if any
};
// Error(InvalidArgument) when `der` is not an OCSPResponse.
OcspResponseSummary read_ocsp_response(const Bytes& der);

// A responder key and its certificate, loaded once and shared by every thread (OpenSSL 3 keys
// are safe to sign with concurrently). Non-copyable.
class OcspSigner {
 public:
  // Error(Crypto) when the key does not match the certificate or either does not parse.
  OcspSigner(const Bytes& responder_cert_der, const Bytes& key_pkcs8_der);
  OcspSigner(const OcspSigner&) = delete;
  OcspSigner& operator=(const OcspSigner&) = delete;
  ~OcspSigner();

  // A successful BasicOCSPResponse: responderID byKey, SHA-256 signature, the responder
  // certificate in `certs`, the nonce extension echoed when given. producedAt is OpenSSL's
  // clock (OCSP_basic_sign sets it; the structure is opaque in OpenSSL 3).
  Bytes sign(const std::vector<OcspSingleAnswer>& answers, const std::optional<Bytes>& nonce) const;

  const Bytes& cert_der() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inkan::crypto
