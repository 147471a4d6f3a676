#include "ca/domain/local_time.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <optional>
#include <unistd.h>

#include "ca/domain/error.hpp"

namespace inkan {
namespace {

std::mutex& tz_mutex() {
  static std::mutex m;
  return m;
}

// $TZ as it was before this file first changed it (captured under the lock, on first use).
const std::optional<std::string>& original_tz() {
  static const std::optional<std::string> tz = [] {
    const char* v = std::getenv("TZ");
    return v ? std::optional<std::string>(v) : std::nullopt;
  }();
  return tz;
}

std::string zoneinfo_dir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// Letters, digits and _ + - /, no leading '/', no "." components: a path inside the database.
bool plausible_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '+' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return name.find("//") == std::string_view::npos;
}

bool is_tzif_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

// The zone glibc currently converts with; compared so that one zone in use costs no re-read.
std::optional<std::string> applied;  // guarded by tz_mutex
bool applied_once = false;

void apply(const std::string& name) {
  std::optional<std::string> want = name.empty() ? original_tz() : std::optional<std::string>(name);
  if (applied_once && applied == want) return;
  if (want) ::setenv("TZ", want->c_str(), 1);
  else ::unsetenv("TZ");
  ::tzset();
  applied = want;
  applied_once = true;
}

std::string two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v);
  return buf;
}

}  // namespace

TimeZone TimeZone::system() { return TimeZone(""); }
TimeZone TimeZone::utc() { return TimeZone("UTC"); }

TimeZone TimeZone::named(std::string_view iana_name) {
  const std::string name(iana_name);
  if (!plausible_zone_name(name) || !is_tzif_file(zoneinfo_dir() + "/" + name))
    throw Error(ErrorCode::InvalidArgument,
                "unknown time zone '" + name + "': use a name of the tz database, e.g. Asia/Tokyo, Europe/Berlin, UTC "
                "(see /usr/share/zoneinfo or `timedatectl list-timezones`)");
  return TimeZone(name);
}

std::string TimeZone::system_name() {
  std::lock_guard lock(tz_mutex());
  if (const auto& tz = original_tz()) return tz->empty() ? "UTC" : (tz->front() == ':' ? tz->substr(1) : *tz);
  char buf[256];
  const ssize_t n = ::readlink("/etc/localtime", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string target(buf, static_cast<std::size_t>(n));
  const auto at = target.find("zoneinfo/");
  return at == std::string::npos ? "" : target.substr(at + 9);
}

LocalTime TimeZone::local(Timestamp t) const {
  const std::time_t secs = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm tm{};
  {
    std::lock_guard lock(tz_mutex());
    (void)original_tz();  // captured before the first change
    apply(name_);
    if (!::localtime_r(&secs, &tm)) throw Error(ErrorCode::InvalidArgument, "time out of range");
  }
  LocalTime out;
  out.year = tm.tm_year + 1900;
  out.month = tm.tm_mon + 1;
  out.day = tm.tm_mday;
  out.hour = tm.tm_hour;
  out.minute = tm.tm_min;
  out.second = tm.tm_sec;
  out.utc_offset = std::chrono::seconds(tm.tm_gmtoff);
  out.abbreviation = tm.tm_zone ? tm.tm_zone : "";
  // Zones without a letter abbreviation in the database print their offset ("+07").
  if (out.abbreviation.empty() || out.abbreviation.front() == '+' || out.abbreviation.front() == '-')
    out.abbreviation = "UTC" + out.abbreviation;
  return out;
}

Timestamp TimeZone::start_of_day(int year, int month, int day) const {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_isdst = -1;  // let the zone's rules decide
  std::time_t secs;
  {
    std::lock_guard lock(tz_mutex());
    (void)original_tz();
    apply(name_);
    secs = ::mktime(&tm);
  }
  if (secs == static_cast<std::time_t>(-1)) throw Error(ErrorCode::InvalidArgument, "date out of range");
  // mktime moves a midnight that does not exist (a gap) forwards; one that exists twice (a fold)
  // is taken once, its first occurrence being the zone's usual reading.
  return Timestamp(std::chrono::seconds(secs));
}

Timestamp parse_local_date_or_time(std::string_view text, const TimeZone& zone, DayEdge edge) {
  const Timestamp parsed = parse_date_or_time(text);  // validates both forms
  if (text.size() != 10) return parsed;               // a full RFC 3339 instant: as written
  const auto days = std::chrono::floor<std::chrono::days>(parsed);
  const std::chrono::year_month_day ymd{days};
  return zone.start_of_day(int(ymd.year()), int(unsigned(ymd.month())),
                           int(unsigned(ymd.day())) + (edge == DayEdge::End ? 1 : 0));
}

std::string format_local(Timestamp t, const TimeZone& zone, TimeNotation notation, TimeStyle style) {
  const LocalTime l = zone.local(t);
  const char sep = notation == TimeNotation::Japanese ? '/' : '-';
  std::string out = std::to_string(l.year) + sep + two(l.month) + sep + two(l.day);
  if (style == TimeStyle::Date) return out;
  out += " " + two(l.hour) + ":" + two(l.minute);
  if (style == TimeStyle::Second) out += ":" + two(l.second);
  return out + " " + l.abbreviation;
}

}  // namespace inkan
