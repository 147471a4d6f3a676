#include "cli/active_names_text.hpp"

namespace inkan::cli {

std::string describe_active_certificates(const std::vector<CertificateRecord>& certificates, std::size_t shown,
                                         const TimeZone& zone) {
  std::string out;
  for (std::size_t i = 0; i < certificates.size() && i < shown; ++i) {
    const auto& c = certificates[i];
    out += "  " + c.tenant_id + "/" + c.cn + ": serial " + c.serial.hex() + ", valid until " +
           format_local(c.not_after, zone, TimeNotation::English, TimeStyle::Minute) + "\n";
  }
  if (certificates.size() > shown) out += "  ... and " + std::to_string(certificates.size() - shown) + " more\n";
  return out;
}

}  // namespace inkan::cli
