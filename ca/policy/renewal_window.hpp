#pragma once
// When a certificate may renew itself (seed: from 90 days before expiry until expiry).
#include <optional>

#include "ca/domain/records.hpp"

namespace inkan::policy {

inline constexpr int kDefaultRenewalWindowDays = 90;

enum class RenewalVerdict {
  Renewable,       // inside the window
  TooEarly,        // the window has not opened yet (an operator may force it)
  Expired,         // past notAfter: only an administrator's reissue helps
  Revoked,         // never renewable; reissue with explicit consent only
  AlreadyRenewed,  // has a successor: hand that one out again
  NotIssued,       // a reservation, not a certificate
};

struct RenewalAssessment {
  RenewalVerdict verdict = RenewalVerdict::Renewable;
  Timestamp window_opens{};  // notAfter - window
  long days_left = 0;        // whole days until notAfter, never negative
};

// `window_days` comes from the tenant's override or the installation default.
RenewalAssessment assess_renewal(const CertificateRecord& cert, Timestamp now, int window_days);

}  // namespace inkan::policy
