#include "ca/service/monitoring/certificate_gauges.hpp"

namespace inkan::service {

CertificateGauges certificate_gauges(Store& store, Timestamp now, const std::optional<std::string>& tenant_id) {
  auto& q = store.certificate_queries();
  CertificateGauges g;
  g.by_status = q.counts(tenant_id, now);
  for (std::size_t i = 0; i < kExpiringWithinDays.size(); ++i)
    g.expiring[i] = q.active_expiring(tenant_id, now, std::chrono::days(kExpiringWithinDays[i]));
  return g;
}

std::vector<std::string> tenants_with_certificates(Store& store) {
  return store.certificate_queries().counted_tenants();
}

std::vector<CaValidity> ca_validities(Store& store) {
  std::vector<CaValidity> out;
  for (const auto& ca : store.cas().list()) out.push_back({ca.id, ca.role, ca.active, ca.not_after});
  return out;
}

BatchProgress batch_progress(Store& store) {
  BatchProgress p;
  for (const auto& job : store.batches().jobs(BatchJobState::Running)) {
    ++p.running_jobs;
    const auto c = store.batches().counts(job.id);
    p.items.pending += c.pending, p.items.reserved += c.reserved, p.items.committed += c.committed,
        p.items.skipped += c.skipped;
  }
  return p;
}

}  // namespace inkan::service
