#include "web/ocsp/ocsp_http.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "ca/domain/percent_encoding.hpp"
#include "web/http/encoding.hpp"

namespace inkan::web {
std::optional<Bytes> ocsp_request_from_path(std::string_view encoded, std::size_t max_der) {
  // Base64 of max_der octets, percent-escaped three times over at worst.
  if (encoded.empty() || encoded.size() > (max_der / 3 + 2) * 4 * 3) return std::nullopt;
  const auto unescaped = percent_decode(encoded);
  if (!unescaped) return std::nullopt;
  std::string text;
  text.reserve(unescaped->size());
  for (char c : *unescaped) {
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
