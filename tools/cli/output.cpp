#include "cli/output.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

namespace inkan::cli {
namespace {

nlohmann::json optional_serial(const std::optional<Serial>& s) {
  return s ? nlohmann::json(s->hex()) : nlohmann::json(nullptr);
}

// Display width: a UTF-8 continuation octet takes no column; CJK text is counted as wide.
std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    w += (c >= 0xE0) ? 2 : 1;
  }
  return w;
}

}  // namespace

nlohmann::json certificate_json(const CertificateRecord& r, Timestamp now) {
  nlohmann::json j;
  j["serial"] = r.serial.hex();
  j["tenant"] = r.tenant_id;
  j["cn"] = r.cn;
  j["kind"] = std::string(to_string(r.kind));
  j["key_type"] = std::string(to_string(r.key_type));
  j["status"] = std::string(to_string(r.status_at(now)));
  j["not_before"] = format_rfc3339(r.not_before);
  j["not_after"] = format_rfc3339(r.not_after);
  j["days_left"] = std::max(0L, days_between(now, r.not_after));
  j["requested_at"] = format_rfc3339(r.requested_at);
  j["issued_at"] = r.issued_at ? nlohmann::json(format_rfc3339(*r.issued_at)) : nlohmann::json(nullptr);
  j["sha256"] = r.sha256;
  j["email"] = r.email ? nlohmann::json(*r.email) : nlohmann::json(nullptr);
  j["predecessor"] = optional_serial(r.predecessor);
  j["successor"] = optional_serial(r.successor);
  j["revoked_at"] = r.revoked_at ? nlohmann::json(format_rfc3339(*r.revoked_at)) : nlohmann::json(nullptr);
  j["revocation_reason"] =
      r.revocation_reason ? nlohmann::json(std::string(to_string(*r.revocation_reason))) : nlohmann::json(nullptr);
  j["has_credential"] = r.has_credential;
  j["notes"] = r.notes;
  return j;
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = display_width(header[c]);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      out << cells[c];
      if (c + 1 < cells.size()) out << std::string(width[c] - display_width(cells[c]) + 2, ' ');
    }
    out << '\n';
  };
  line(header);
  for (const auto& row : rows) line(row);
}

std::string csv_field(const std::string& value) {
  std::string v = value;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  bool quote = v.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void print_csv(std::ostream& out, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows) {
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c) out << (c ? "," : "") << csv_field(cells[c]);
    out << "\r\n";
  };
  out << "\xEF\xBB\xBF";  // UTF-8 BOM: Japanese Excel otherwise reads the file as Shift_JIS
  line(header);
  for (const auto& row : rows) line(row);
}

}  // namespace inkan::cli
