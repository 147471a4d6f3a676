#pragma once
// OCSP requests (RFC 6960 §4.1) read with OpenSSL 3: Botan 2 has no OCSP request parser
// (design.md §4). Everything the responder needs comes out as plain values, so ca/service
// never sees an OpenSSL type.
#include <cstddef>
#include <optional>
#include <vector>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

// A request larger than this is refused unread: a CertID with SHA-256 is about 100 octets, and
// even a signed request with its signer's chain stays well under it.
inline constexpr std::size_t kMaxOcspRequestBytes = 8 * 1024;
// RFC 8954 §2.1: a nonce carries 1 to 32 octets.
inline constexpr std::size_t kMaxOcspNonceBytes = 32;

// The hash a client used for the issuer's name and key in a CertID.
enum class OcspHash { Sha1, Sha256, Unsupported };

struct OcspCertId {
  OcspHash hash = OcspHash::Unsupported;
  Bytes issuer_name_hash;
  Bytes issuer_key_hash;
  Bytes serial;  // the magnitude, big-endian; empty for a negative serial (never one of ours)
  Bytes der;     // the CertID exactly as received: echoed in the response, and the cache key
};

struct OcspRequestInfo {
  std::vector<OcspCertId> cert_ids;  // in request order, at least one
  // The nonce extension's extnValue, as sent, when present (echoed unchanged, RFC 8954).
  std::optional<Bytes> nonce;
};

// Throws Error(InvalidArgument) for anything that is not one strict-DER OCSPRequest of at most
// kMaxOcspRequestBytes with at least one CertID, or whose nonce is empty or longer than
// kMaxOcspNonceBytes: all answered with the unsigned malformedRequest.
OcspRequestInfo parse_ocsp_request(const Bytes& der);

// The issuer's name and key hashes (RFC 6960 §4.1.1) of a CA certificate in one hash.
struct OcspIssuerHashes {
  Bytes name_hash;
  Bytes key_hash;
};
OcspIssuerHashes ocsp_issuer_hashes(const Bytes& ca_cert_der, OcspHash hash);

// A CertID for `serial` of a certificate issued by `ca_cert_der`, as a client would build it
// (for `inkan ocsp --serial` and for tests).
OcspCertId make_ocsp_cert_id(const Bytes& ca_cert_der, const Serial& serial, OcspHash hash);

// An OCSPRequest for these CertIDs, with a nonce (the raw octets, wrapped in an OCTET STRING as
// RFC 8954 says) when given: what a client sends (tests, benchmarks).
Bytes make_ocsp_request(const std::vector<OcspCertId>& ids, const std::optional<Bytes>& nonce = std::nullopt);

}  // namespace inkan::crypto
