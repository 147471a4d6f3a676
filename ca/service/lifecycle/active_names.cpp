#include "ca/service/lifecycle/active_names.hpp"

namespace inkan::service {

const std::vector<CertificateRecord>& ActiveNames::of(const std::string& tenant_id, const std::string& cn) {
  auto [tenant, loaded] = by_tenant_.try_emplace(tenant_id);
  if (loaded) {
    CertificateFilter f;
    f.tenant_id = tenant_id;
    f.status = CertStatus::Active;
    f.now = now_;
    for (auto& c : store_.certificates().list(f)) tenant->second[c.cn].push_back(std::move(c));
  }
  static const std::vector<CertificateRecord> kNone;
  const auto it = tenant->second.find(cn);
  return it == tenant->second.end() ? kNone : it->second;
}

}  // namespace inkan::service
