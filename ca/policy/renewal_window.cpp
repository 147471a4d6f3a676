#include "ca/policy/renewal_window.hpp"

#include <algorithm>

namespace inkan::policy {

RenewalAssessment assess_renewal(const CertificateRecord& cert, Timestamp now, int window_days) {
  RenewalAssessment a;
  a.window_opens = cert.not_after - std::chrono::days(window_days);
  a.days_left = std::max(0L, days_between(now, cert.not_after));
  if (cert.state == CertState::Reserved) a.verdict = RenewalVerdict::NotIssued;
  else if (cert.successor) a.verdict = RenewalVerdict::AlreadyRenewed;
  else if (cert.status_at(now) == CertStatus::Revoked) a.verdict = RenewalVerdict::Revoked;
  else if (now >= cert.not_after) a.verdict = RenewalVerdict::Expired;
  else if (now < a.window_opens) a.verdict = RenewalVerdict::TooEarly;
  else a.verdict = RenewalVerdict::Renewable;
  return a;
}

}  // namespace inkan::policy
