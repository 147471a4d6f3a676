#include "mail/mime_message.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

#include "ca/domain/error.hpp"

namespace inkan::mail {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += kBase64[v >> 18 & 63], out += kBase64[v >> 12 & 63], out += kBase64[v >> 6 & 63], out += kBase64[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16;
    out += kBase64[v >> 18 & 63], out += kBase64[v >> 12 & 63], out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += kBase64[v >> 18 & 63], out += kBase64[v >> 12 & 63], out += kBase64[v >> 6 & 63], out += '=';
  }
  return out;
}

bool plain_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

std::size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 1;
}

}  // namespace

void require_single_line(std::string_view what, std::string_view value) {
  if (value.find_first_of("\r\n") != std::string_view::npos)
    throw Error(ErrorCode::InvalidArgument, std::string(what) + " must be one line");
}

std::string encode_header_words(std::string_view utf8) {
  if (plain_ascii(utf8)) return std::string(utf8);
  // "=?UTF-8?B?" + text + "?=" is 12 characters; 45 octets make 60 base64 characters: 72 < 75.
  constexpr std::size_t kChunk = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = i;
    while (end < utf8.size()) {
      const std::size_t n = utf8_length(static_cast<unsigned char>(utf8[end]));
      if (end + n - i > kChunk) break;
      end += n;
    }
    if (end == i) end = std::min(utf8.size(), i + 1);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string rfc5322_date(Timestamp t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string build_mime_message(const service::OutgoingMail& mail, const MimeEnvelope& e) {
  require_single_line("the sender address", e.from);
  require_single_line("the recipient address", mail.to);
  require_single_line("the subject", mail.subject);
  std::string m;
  m += "From: " + e.from + "\r\n";
  m += "To: " + mail.to + "\r\n";
  m += "Subject: " + encode_header_words(mail.subject) + "\r\n";
  m += "Date: " + rfc5322_date(e.date) + "\r\n";
  m += "Message-ID: <" + e.message_id + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: base64\r\n";
  m += "Auto-Submitted: auto-generated\r\n\r\n";
  std::string body;  // CRLF line ends inside the encoded text too
  for (char c : mail.body) {
    if (c == '\n') body += "\r\n";
    else body += c;
  }
  const std::string encoded = base64(body);
  for (std::size_t i = 0; i < encoded.size(); i += 76) m += encoded.substr(i, 76) + "\r\n";
  return m;
}

}  // namespace inkan::mail
