#include "web/ocsp/ocsp_http.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "web/http/encoding.hpp"

namespace inkan::web {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<Bytes> ocsp_request_from_path(std::string_view encoded, std::size_t max_der) {
  // Base64 of max_der octets, percent-escaped three times over at worst.
  if (encoded.empty() || encoded.size() > (max_der / 3 + 2) * 4 * 3) return std::nullopt;
  std::string text;
  text.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (c == '%') {
      if (i + 2 >= encoded.size()) return std::nullopt;
      const int hi = hex_value(encoded[i + 1]), lo = hex_value(encoded[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '-') c = '+';  // base64url
    if (c == '_') c = '/';
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return std::nullopt;  // base64_decode would skip them
    text.push_back(c);
  }
  auto der = base64_decode(text);
  if (!der || der->empty() || der->size() > max_der) return std::nullopt;
  return der;
}

long ocsp_max_age_seconds(Timestamp now, Timestamp next_update, long cap) {
  const long left = static_cast<long>((next_update - now).count());
  return std::clamp(left, 0L, cap);
}

std::string http_date(Timestamp t) {
  const std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  // Spelled out: strftime's %a and %b follow the locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace inkan::web
