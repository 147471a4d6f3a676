// Times shown to people in the installation's zone (issue 16, item 8): a zone without DST (JST),
// one with DST (Europe/Berlin, both sides of each switch) and UTC, in both notations.
#include <catch2/catch_test_macros.hpp>

#include "ca/domain/error.hpp"
#include "ca/domain/local_time.hpp"

using namespace inkan;

namespace {
Timestamp at(const char* rfc3339) { return parse_date_or_time(rfc3339); }
}  // namespace

TEST_CASE("JST: nine hours ahead all year, Japanese and English notation") {
  const auto tokyo = TimeZone::named("Asia/Tokyo");
  CHECK(format_local(at("2027-01-06T00:00:00Z"), tokyo, TimeNotation::Japanese, TimeStyle::Minute) ==
        "2027/01/06 09:00 JST");
  CHECK(format_local(at("2027-01-06T00:00:00Z"), tokyo, TimeNotation::English, TimeStyle::Minute) ==
        "2027-01-06 09:00 JST");
  CHECK(format_local(at("2026-07-01T12:34:56Z"), tokyo, TimeNotation::Japanese, TimeStyle::Second) ==
        "2026/07/01 21:34:56 JST");
  // 15:00 UTC is already the next calendar day in Tokyo.
  CHECK(format_local(at("2026-12-31T15:00:00Z"), tokyo, TimeNotation::Japanese, TimeStyle::Date) == "2027/01/01");
  CHECK(tokyo.local(at("2026-07-01T00:00:00Z")).utc_offset == std::chrono::hours(9));
}

TEST_CASE("Europe/Berlin: CET in winter, CEST in summer, the switches to the second") {
  const auto berlin = TimeZone::named("Europe/Berlin");
  CHECK(format_local(at("2026-01-15T12:00:00Z"), berlin, TimeNotation::English, TimeStyle::Minute) ==
        "2026-01-15 13:00 CET");
  CHECK(format_local(at("2026-07-15T12:00:00Z"), berlin, TimeNotation::English, TimeStyle::Minute) ==
        "2026-07-15 14:00 CEST");
  // Spring forward on 2026-03-29 at 01:00 UTC: 01:59:59 CET is followed by 03:00:00 CEST.
  CHECK(format_local(at("2026-03-29T00:59:59Z"), berlin, TimeNotation::English, TimeStyle::Second) ==
        "2026-03-29 01:59:59 CET");
  CHECK(format_local(at("2026-03-29T01:00:00Z"), berlin, TimeNotation::English, TimeStyle::Second) ==
        "2026-03-29 03:00:00 CEST");
  // Fall back on 2026-10-25 at 01:00 UTC: 02:30 happens twice, told apart by the abbreviation.
  CHECK(format_local(at("2026-10-25T00:30:00Z"), berlin, TimeNotation::English, TimeStyle::Minute) ==
        "2026-10-25 02:30 CEST");
  CHECK(format_local(at("2026-10-25T01:30:00Z"), berlin, TimeNotation::English, TimeStyle::Minute) ==
        "2026-10-25 02:30 CET");
  // Past the end of the database's transition table (its POSIX rule takes over).
  CHECK(format_local(at("2046-07-01T00:00:00Z"), berlin, TimeNotation::Japanese, TimeStyle::Minute) ==
        "2046/07/01 02:00 CEST");
}

TEST_CASE("UTC, and switching zones back and forth in one process") {
  const auto utc = TimeZone::utc();
  const auto tokyo = TimeZone::named("Asia/Tokyo");
  const auto t = at("2027-01-06T00:00:00Z");
  for (int i = 0; i < 3; ++i) {
    CHECK(format_local(t, utc, TimeNotation::English, TimeStyle::Minute) == "2027-01-06 00:00 UTC");
    CHECK(format_local(t, tokyo, TimeNotation::English, TimeStyle::Minute) == "2027-01-06 09:00 JST");
  }
  CHECK(TimeZone::named("UTC").local(t).utc_offset == std::chrono::seconds(0));
}

TEST_CASE("a zone given only as an offset in the database shows as UTC+hh") {
  CHECK(format_local(at("2027-01-06T00:00:00Z"), TimeZone::named("Asia/Ho_Chi_Minh"), TimeNotation::English,
                     TimeStyle::Minute) == "2027-01-06 07:00 UTC+07");
}

TEST_CASE("unknown or hostile zone names are refused, naming the text") {
  for (const char* bad : {"Asia/Tokio", "", "../../etc/passwd", "/etc/localtime", "Asia/Tokyo ", "JST-9", "Asia"}) {
    try {
      (void)TimeZone::named(bad);
      FAIL("accepted '" << bad << "'");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::InvalidArgument);
      CHECK(std::string(e.what()).find("unknown time zone '" + std::string(bad) + "'") != std::string::npos);
    }
  }
}

TEST_CASE("a date typed by a person is a day of the zone: its start, or the next day's for 'until'") {
  const auto tokyo = TimeZone::named("Asia/Tokyo");
  CHECK(parse_local_date_or_time("2027-01-06", tokyo, DayEdge::Start) == at("2027-01-05T15:00:00Z"));
  CHECK(parse_local_date_or_time("2027-01-06", tokyo, DayEdge::End) == at("2027-01-06T15:00:00Z"));
  CHECK(parse_local_date_or_time("2026-12-31", tokyo, DayEdge::End) == at("2026-12-31T15:00:00Z"));  // into 2027
  CHECK(parse_local_date_or_time("2027-01-06", TimeZone::utc(), DayEdge::Start) == at("2027-01-06T00:00:00Z"));
  // A full instant is taken as written, whatever the zone and edge.
  CHECK(parse_local_date_or_time("2027-01-06T10:00:00Z", tokyo, DayEdge::End) == at("2027-01-06T10:00:00Z"));
  CHECK_THROWS_AS(parse_local_date_or_time("2027-02-30", tokyo, DayEdge::Start), Error);
  CHECK_THROWS_AS(parse_local_date_or_time("yesterday", tokyo, DayEdge::Start), Error);
}

TEST_CASE("the days around a DST switch are 23 and 25 hours long") {
  const auto berlin = TimeZone::named("Europe/Berlin");
  const auto spring = parse_local_date_or_time("2026-03-29", berlin, DayEdge::Start);
  CHECK(spring == at("2026-03-28T23:00:00Z"));  // 00:00 CET
  CHECK(parse_local_date_or_time("2026-03-29", berlin, DayEdge::End) - spring == std::chrono::hours(23));
  const auto autumn = parse_local_date_or_time("2026-10-25", berlin, DayEdge::Start);
  CHECK(autumn == at("2026-10-24T22:00:00Z"));  // 00:00 CEST
  CHECK(parse_local_date_or_time("2026-10-25", berlin, DayEdge::End) - autumn == std::chrono::hours(25));
}
