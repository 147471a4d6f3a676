#pragma once
// The lines a refusal prints for names that already hold a working certificate.
#include <string>
#include <vector>

#include "ca/domain/local_time.hpp"
#include "ca/domain/records.hpp"

namespace inkan::cli {

// "  acme/pc-01: serial 55C9613F..., valid until 2029-12-01 09:00 JST" (in `zone`) for at most
// `shown` certificates, then "  ... and N more".
std::string describe_active_certificates(const std::vector<CertificateRecord>& certificates, std::size_t shown,
                                         const TimeZone& zone);

}  // namespace inkan::cli
