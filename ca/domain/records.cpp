#include "ca/domain/records.hpp"

namespace inkan {

CertStatus CertificateRecord::status_at(Timestamp now) const {
  if (state == CertState::Revoked) return CertStatus::Revoked;
  if (now >= not_after) return CertStatus::Expired;
  if (state == CertState::Superseded) return CertStatus::Superseded;
  return CertStatus::Active;
}

}  // namespace inkan
