#include "ca/service/lifecycle/expiry_report.hpp"

#include <map>

#include "ca/domain/error.hpp"
#include "ca/policy/renewal_window.hpp"
#include "ca/service/settings_keys.hpp"

namespace inkan::service {

std::vector<ExpiringCertificate> expiring_certificates(Store& store, const Clock& clock, int within_days,
                                                       const std::optional<std::string>& tenant_id) {
  if (within_days < 0) throw Error(ErrorCode::InvalidArgument, "--within must not be negative");
  if (tenant_id && !store.tenants().find(*tenant_id))
    throw Error(ErrorCode::NotFound, "unknown tenant '" + *tenant_id + "'");
  CertificateFilter f;
  f.now = clock.now();
  f.tenant_id = tenant_id;
  f.status = CertStatus::Active;
  f.expiring_before = f.now + std::chrono::days(within_days);

  int default_window = policy::kDefaultRenewalWindowDays;
  if (auto v = store.settings().get(settings_keys::kRenewalWindowDays)) default_window = std::stoi(*v);
  std::map<std::string, int> windows;
  for (const auto& t : store.tenants().list()) windows[t.id] = t.renewal_window_days.value_or(default_window);

  std::vector<ExpiringCertificate> out;
  for (auto& c : store.certificates().list(f)) {
    auto a = policy::assess_renewal(c, f.now, windows.count(c.tenant_id) ? windows[c.tenant_id] : default_window);
    out.push_back({std::move(c), a.window_opens, a.days_left});
  }
  return out;
}

}  // namespace inkan::service
