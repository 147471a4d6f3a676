#pragma once
// What the metrics endpoint reports about the certificates and CAs at a moment: counts by the
// status `inkan list` shows, active certificates expiring within 7/30/90 days, and when each CA
// certificate ends. Read from the trigger-maintained day buckets of certificate_counts
// (migration 0010) and the CA table, never by scanning certificates: a scrape at 1,000,000
// certificates costs about a millisecond (docs/benchmarks.md, "Metrics").
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/records.hpp"
#include "ca/store/admin_repositories.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

inline constexpr std::array<int, 3> kExpiringWithinDays{7, 30, 90};

struct CertificateGauges {
  StatusCounts by_status;                                       // at `now`
  std::array<std::int64_t, kExpiringWithinDays.size()> expiring{};  // active, notAfter in (now, now + N days]
};

// Every tenant (no tenant) or one.
CertificateGauges certificate_gauges(Store& store, Timestamp now, const std::optional<std::string>& tenant_id = {});
// The tenants that have certificates, for the per-tenant gauges (`serve --metrics-per-tenant`).
std::vector<std::string> tenants_with_certificates(Store& store);

struct CaValidity {
  std::int64_t id = 0;
  CaRole role = CaRole::Issuing;
  bool active = false;
  Timestamp not_after{};
};
std::vector<CaValidity> ca_validities(Store& store);

// Batch jobs still running (in any process) and their items by state.
struct BatchProgress {
  std::int64_t running_jobs = 0;
  BatchCounts items;  // summed over the running jobs
};
BatchProgress batch_progress(Store& store);

}  // namespace inkan::service
