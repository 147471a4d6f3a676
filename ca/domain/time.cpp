#include "ca/domain/time.hpp"

#include <charconv>
#include <cstdio>

#include "ca/domain/error.hpp"

namespace inkan {
namespace {

[[noreturn]] void bad_validity(std::string_view text) {
  throw Error(ErrorCode::InvalidArgument,
              "invalid validity '" + std::string(text) +
                  "': use a number followed by y, m or d, e.g. 3y, 18m, 90d");
}

int parse_int(std::string_view s, std::string_view whole) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) bad_validity(whole);
  return v;
}

}  // namespace

Validity parse_validity(std::string_view text) {
  Validity v;
  std::size_t start = 0;
  bool any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') continue;
    if (i == start) bad_validity(text);
    int n = parse_int(text.substr(start, i - start), text);
    if (n > 100000) bad_validity(text);
    switch (c) {
      case 'y': case 'Y': v.years += n; break;
      case 'm': case 'M': v.months += n; break;
      case 'd': case 'D': v.days += n; break;
      default: bad_validity(text);
    }
    any = true;
    start = i + 1;
  }
  if (!any || start != text.size()) bad_validity(text);
  if (v.years == 0 && v.months == 0 && v.days == 0)
    throw Error(ErrorCode::InvalidArgument, "invalid validity '" + std::string(text) + "': must be longer than zero");
  return v;
}

std::string to_string(const Validity& v) {
  std::string out;
  if (v.years) out += std::to_string(v.years) + "y";
  if (v.months) out += std::to_string(v.months) + "m";
  if (v.days) out += std::to_string(v.days) + "d";
  return out.empty() ? "0d" : out;
}

Timestamp add(Timestamp t, const Validity& v) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  auto tod = t - day;
  year_month_day ymd{day};
  ymd += years{v.years};
  ymd += months{v.months};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return Timestamp{sys_days{ymd} + days{v.days} + tod};
}

std::string format_rfc3339(Timestamp t) {
  using namespace std::chrono;
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  return buf;
}

std::string format_date(Timestamp t) { return format_rfc3339(t).substr(0, 10); }

Timestamp parse_date_or_time(std::string_view text) {
  using namespace std::chrono;
  auto fail = [&]() -> Timestamp {
    throw Error(ErrorCode::InvalidArgument,
                "invalid date '" + std::string(text) + "': use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ");
  };
  auto num = [&](std::size_t pos, std::size_t len) {
    if (pos + len > text.size()) fail();
    int v = 0;
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, v);
    if (ec != std::errc() || p != text.data() + pos + len) fail();
    return v;
  };
  if (text.size() != 10 && text.size() != 20) fail();
  if (text[4] != '-' || text[7] != '-') fail();
  year_month_day ymd{year{num(0, 4)}, month{unsigned(num(5, 2))}, day{unsigned(num(8, 2))}};
  if (!ymd.ok() || int(ymd.year()) < 1950 || int(ymd.year()) > 9999) fail();
  Timestamp t{sys_days{ymd}};
  if (text.size() == 20) {
    if (text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z') fail();
    int h = num(11, 2), m = num(14, 2), s = num(17, 2);
    if (h > 23 || m > 59 || s > 59) fail();
    t += hours{h} + minutes{m} + seconds{s};
  }
  return t;
}

long days_between(Timestamp from, Timestamp to) {
  auto d = std::chrono::floor<std::chrono::days>(to - from);
  return static_cast<long>(d.count());
}

Timestamp SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace inkan
