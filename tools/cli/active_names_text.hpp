#pragma once
// The lines a refusal prints for names that already hold a working certificate.
#include <string>
#include <vector>

#include "ca/domain/records.hpp"

namespace inkan::cli {

// "  acme/pc-01: serial 55C9613F..., valid until 2029-12-01" for at most `shown` certificates,
// then "  ... and N more".
std::string describe_active_certificates(const std::vector<CertificateRecord>& certificates, std::size_t shown);

}  // namespace inkan::cli
