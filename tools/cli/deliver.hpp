#pragma once
// Writing an issued credential to --out and reporting it (issue, and later renew/reissue).
#include <filesystem>
#include <string>

#include "ca/domain/local_time.hpp"
#include "ca/service/issuance/issuer.hpp"

namespace inkan::cli {

enum class ReportFormat { Text, Json };

// Writes DIR/<stem>.p12 and DIR/<stem>.password.txt (both 0600) and prints the serial (text) or
// one JSON object (UTC), the text's validity dates in `zone`. The directory must have been
// checked with ensure_writable_dir beforehand.
void deliver_credential(const std::filesystem::path& dir, const service::IssuedCredential& cred,
                        ReportFormat format, const TimeZone& zone);

ReportFormat parse_report_format(const std::string& text);

}  // namespace inkan::cli
