#include "cli/deliver.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "cli/files.hpp"

namespace inkan::cli {

ReportFormat parse_report_format(const std::string& text) {
  return text == "json" ? ReportFormat::Json : ReportFormat::Text;
}

void deliver_credential(const std::filesystem::path& dir, const service::IssuedCredential& cred,
                        ReportFormat format, const TimeZone& zone) {
  auto p12 = dir / (cred.file_stem + ".p12");
  auto password = dir / (cred.file_stem + ".password.txt");
  try {
    create_output_dir(dir);
    write_private_file_once(p12, cred.p12);
    const auto line = cred.password + "\n";
    write_private_file_once(password, Bytes(line.begin(), line.end()));
  } catch (const Error& e) {
    // The certificate is committed: say so, and how to get the files again.
    throw Error(e.code(), std::string(e.what()) + " (certificate " + cred.record.serial.hex() +
                              " is in the store; fetch it with `inkan export` and `inkan password`)");
  }
  if (format == ReportFormat::Json) {
    nlohmann::json j{{"serial", cred.record.serial.hex()},
                     {"tenant", cred.record.tenant_id},
                     {"cn", cred.record.cn},
                     {"kind", std::string(to_string(cred.record.kind))},
                     {"key_type", std::string(to_string(cred.record.key_type))},
                     {"p12_profile", std::string(to_string(cred.profile))},
                     {"p12", p12.string()},
                     {"password_file", password.string()},
                     {"not_before", format_rfc3339(cred.record.not_before)},
                     {"not_after", format_rfc3339(cred.record.not_after)},
                     {"sha256", cred.record.sha256}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << cred.record.serial.hex() << "\n";
    std::cerr << "Wrote " << p12.string() << " and " << password.string() << " (valid "
              << format_local(cred.record.not_before, zone, TimeNotation::English, TimeStyle::Minute) << " to "
              << format_local(cred.record.not_after, zone, TimeNotation::English, TimeStyle::Minute) << ")\n";
  }
}

}  // namespace inkan::cli
