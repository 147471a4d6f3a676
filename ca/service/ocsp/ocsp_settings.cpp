#include "ca/service/ocsp/ocsp_settings.hpp"

#include "ca/policy/naming.hpp"
#include "ca/service/settings_keys.hpp"

namespace inkan::service {

std::optional<std::string> ocsp_url(Store& store) {
  auto url = store.settings().get(settings_keys::kOcspUrl);
  if (!url || url->empty()) return std::nullopt;  // removed: stored as empty
  return url;
}

void set_ocsp_url(Store& store, const Clock& clock, const Actor& actor, const std::optional<std::string>& url) {
  if (url) policy::validate_ocsp_url(*url);
  auto tx = store.begin();
  store.settings().put(settings_keys::kOcspUrl, url.value_or(""));
  record(store, clock, actor, "ca.set", "settings:" + std::string(settings_keys::kOcspUrl),
         "ocsp_url=" + url.value_or("(none)"));
  tx->commit();
}

}  // namespace inkan::service
