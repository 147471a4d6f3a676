#pragma once
// Times as people read them: a UTC Timestamp shown in the installation's time zone (issue 16,
// item 8). Machine formats (JSON, <time datetime>) stay RFC 3339 UTC (time.hpp).
//
// GCC 12's libstdc++ has no C++20 time zone database (std::chrono::locate_zone), so the
// conversion goes through the C library's tz code (TZ + tzset + localtime_r) under one
// process-wide lock: glibc keeps a single current zone, so switching it must not race.
#include <chrono>
#include <string>
#include <string_view>

#include "ca/domain/time.hpp"

namespace inkan {

// The wall-clock reading of an instant in one zone.
struct LocalTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0, minute = 0, second = 0;
  std::chrono::seconds utc_offset{0};
  std::string abbreviation;  // "JST", "CEST", "UTC"; "+07" style ones become "UTC+07"
};

class TimeZone {
 public:
  // The machine's zone: $TZ as the process started with it, else /etc/localtime.
  static TimeZone system();
  static TimeZone utc();
  // An IANA zone name from the tz database ("Asia/Tokyo", "Europe/Berlin", "UTC"); throws
  // Error(InvalidArgument) naming the text when the database has no such zone.
  static TimeZone named(std::string_view iana_name);

  bool is_system() const { return name_.empty(); }
  // The IANA name, or "" for the system zone.
  const std::string& name() const { return name_; }
  // The system zone's own name when it can be told ($TZ, or the /etc/localtime link), else "".
  static std::string system_name();

  LocalTime local(Timestamp t) const;
  // The instant this zone's calendar day begins (00:00 local, or the first minute after a
  // daylight-saving gap). A day past the month's end rolls over (Jan 32 = Feb 1).
  Timestamp start_of_day(int year, int month, int day) const;

 private:
  explicit TimeZone(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

// How much of the instant to show.
enum class TimeStyle { Date, Minute, Second };
// Japanese pages write 2027/01/06 09:00 JST; English ones 2027-01-06 09:00 JST.
enum class TimeNotation { Japanese, English };

// Which edge of a bare date a filter means: `Start` the day's first instant, `End` the next day's
// first instant (a filter "until 2027-01-06" includes that whole day).
enum class DayEdge { Start, End };
// What a person types as a time: "YYYY-MM-DD" is a calendar day in `zone` (its `edge`);
// "YYYY-MM-DDThh:mm:ssZ" is that instant, as written. Error(InvalidArgument) otherwise.
Timestamp parse_local_date_or_time(std::string_view text, const TimeZone& zone, DayEdge edge);

// "2027/01/06 09:00 JST" (Japanese, Minute), "2027-01-06 09:00:05 CET" (English, Second),
// "2027/01/06" (Date: the local calendar day, no zone).
std::string format_local(Timestamp t, const TimeZone& zone, TimeNotation notation, TimeStyle style);

}  // namespace inkan
