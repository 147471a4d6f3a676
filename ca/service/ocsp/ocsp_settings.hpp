#pragma once
// The OCSP URL that issued client certificates carry (`inkan init --ocsp-url`, `inkan ca set`).
#include <optional>
#include <string>

#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

std::optional<std::string> ocsp_url(Store& store);
// Validates (http://, printable ASCII) and stores the URL, or removes it (nullopt), audited as
// "ca.set" ("ocsp_url=..."). Certificates issued from now on carry it; issued ones keep theirs.
void set_ocsp_url(Store& store, const Clock& clock, const Actor& actor, const std::optional<std::string>& url);

}  // namespace inkan::service
