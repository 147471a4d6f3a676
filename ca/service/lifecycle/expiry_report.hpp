#pragma once
// What needs renewing soon: active certificates expiring within a horizon, with the day each
// one's renewal window opens (the tenant's window, or the default).
#include <optional>
#include <string>
#include <vector>

#include "ca/store/store.hpp"

namespace inkan::service {

struct ExpiringCertificate {
  CertificateRecord certificate;
  Timestamp window_opens{};
  long days_left = 0;
};

// Active certificates (not superseded, revoked or expired) with notAfter <= now + within_days,
// soonest first. Throws NotFound for an unknown tenant.
std::vector<ExpiringCertificate> expiring_certificates(Store& store, const Clock& clock, int within_days,
                                                       const std::optional<std::string>& tenant_id);

}  // namespace inkan::service
