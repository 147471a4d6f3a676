#include "cli/ics.hpp"

namespace inkan::cli {
namespace {

// RFC 5545 §3.3.11: backslash, semicolon and comma are escaped; newlines become "\n".
std::string escape_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == ';' || c == ',') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    if (c == '\r') continue;
    out += c;
  }
  return out;
}

// RFC 5545 §3.1: lines longer than 75 octets are folded, never inside a UTF-8 sequence.
void add_line(std::string& out, const std::string& line) {
  std::size_t start = 0, limit = 75;
  while (line.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out += line.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out += line.substr(start) + "\r\n";
}

std::string ics_date(Timestamp t) {
  auto d = format_date(t);
  return d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
}

std::string ics_time(Timestamp t) {
  auto r = format_rfc3339(t);  // 2026-11-25T16:28:54Z
  return ics_date(t) + "T" + r.substr(11, 2) + r.substr(14, 2) + r.substr(17, 2) + "Z";
}

void add_event(std::string& out, const std::string& uid, Timestamp day, Timestamp now, const std::string& summary,
               const std::string& description) {
  add_line(out, "BEGIN:VEVENT");
  add_line(out, "UID:" + uid);
  add_line(out, "DTSTAMP:" + ics_time(now));
  add_line(out, "DTSTART;VALUE=DATE:" + ics_date(day));
  add_line(out, "DTEND;VALUE=DATE:" + ics_date(day + std::chrono::days(1)));
  add_line(out, "SUMMARY:" + escape_text(summary));
  add_line(out, "DESCRIPTION:" + escape_text(description));
  add_line(out, "TRANSP:TRANSPARENT");
  add_line(out, "END:VEVENT");
}

}  // namespace

std::string render_ics(const std::vector<service::ExpiringCertificate>& certs, Timestamp now) {
  std::string out;
  add_line(out, "BEGIN:VCALENDAR");
  add_line(out, "VERSION:2.0");
  add_line(out, "PRODID:-//inkan//certificate renewals//EN");
  add_line(out, "CALSCALE:GREGORIAN");
  for (const auto& e : certs) {
    const auto& c = e.certificate;
    const std::string who = c.cn + " (" + c.tenant_id + ")";
    const std::string serial = c.serial.hex();
    add_event(out, serial + "-window@inkan", e.window_opens, now, "証明書更新開始 / Renewal opens: " + who,
              "Certificate " + serial + " of " + who + " can be renewed from today until " +
                  format_date(c.not_after) + ".");
    add_event(out, serial + "-expiry@inkan", c.not_after, now, "証明書有効期限 / Certificate expires: " + who,
              "Certificate " + serial + " of " + who + " expires at " + format_rfc3339(c.not_after) +
                  ". After that only an administrator can reissue it.");
  }
  add_line(out, "END:VCALENDAR");
  return out;
}

}  // namespace inkan::cli
