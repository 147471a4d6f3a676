// A time on a page (issue 16, item 8): the page's notation in the installation's zone as the text,
// RFC 3339 UTC kept for <time datetime>; a certificate row of the admin list carries both.
#include <catch2/catch_test_macros.hpp>

#include "web/admin/format.hpp"
#include "web/http/shown_time.hpp"

using namespace inkan;
using namespace inkan::web;

TEST_CASE("set_time: Japanese and English text in the zone, the UTC value beside it", "[web]") {
  const auto t = parse_date_or_time("2027-01-06T00:00:00Z");
  const auto tokyo = TimeZone::named("Asia/Tokyo");
  View v;
  set_time(v, "not_after", t, tokyo, Lang::Ja);
  CHECK(v.text["not_after"] == "2027/01/06 09:00 JST");
  CHECK(v.text["not_after_utc"] == "2027-01-06T00:00:00Z");
  set_time(v, "at", t, TimeZone::named("Europe/Berlin"), Lang::En, TimeStyle::Second);
  CHECK(v.text["at"] == "2027-01-06 01:00:00 CET");
  CHECK(shown_time(t, TimeZone::utc(), Lang::En, TimeStyle::Date) == "2027-01-06");
}

TEST_CASE("an admin list row: 有効期限 in the zone, the issue day as a local date", "[web]") {
  CertificateRecord c;
  c.serial = Serial::parse("01AB");
  c.cn = "client300";
  c.tenant_id = "demo";
  c.state = CertState::Active;
  c.not_before = parse_date_or_time("2024-01-05T15:30:00Z");
  c.issued_at = c.not_before;
  c.not_after = parse_date_or_time("2027-01-05T15:30:00Z");
  const auto row = admin::certificate_row(c, parse_date_or_time("2026-12-01"), Lang::Ja, TimeZone::named("Asia/Tokyo"));
  CHECK(row.text.at("not_after") == "2027/01/06 00:30 JST");
  CHECK(row.text.at("not_after_utc") == "2027-01-05T15:30:00Z");
  CHECK(row.text.at("issued") == "2024/01/06");  // already the 6th in Tokyo
}
