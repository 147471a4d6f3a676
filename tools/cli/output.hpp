#pragma once
// Rendering for the CLI: JSON objects with the documented field names, aligned tables, CSV.
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "ca/domain/records.hpp"

namespace inkan::cli {

// The fields of `inkan list --format json` (and more for `show`), statuses derived at `now`.
nlohmann::json certificate_json(const CertificateRecord& rec, Timestamp now);

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

// RFC 4180 quoting; a leading = + - @ tab CR (a spreadsheet formula) is neutralised with a quote.
std::string csv_field(const std::string& value);
// UTF-8 with a BOM (Excel), CRLF line ends, the header first.
void print_csv(std::ostream& out, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows);

}  // namespace inkan::cli
