#pragma once
// What an OCSP response says about one serial of one of our CAs (RFC 6960 §2.2).
#include <optional>

#include "ca/domain/records.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

enum class OcspStatus { Good, Revoked, Unknown };

struct CertificateStatusAnswer {
  OcspStatus status = OcspStatus::Unknown;
  Timestamp revoked_at{};
  std::optional<RevocationReason> reason;
};

// Issued by `issuer` and not revoked: good (expired ones too: OCSP speaks of revocation only);
// revoked: with its time and reason; reserved, of another CA or never seen: unknown. For a root,
// the issuing CA certificates it signed are the certificates asked about.
CertificateStatusAnswer certificate_status(Store& store, const CaRecord& issuer, const Bytes& serial_magnitude);

}  // namespace inkan::service
