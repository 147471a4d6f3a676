// Calendar arithmetic, validity and serial parsing: the date rules every certificate depends on.
#include <catch2/catch_test_macros.hpp>

#include "ca/domain/error.hpp"
#include "ca/domain/records.hpp"
#include "ca/domain/serial.hpp"
#include "ca/domain/time.hpp"

using namespace inkan;

TEST_CASE("3 calendar years: the seed's 2020-09-08 expires 2023-09-08") {
  auto t = parse_date_or_time("2020-09-08");
  CHECK(format_date(add(t, Validity{3, 0, 0})) == "2023-09-08");
  CHECK(format_rfc3339(add(parse_date_or_time("2020-09-08T10:11:12Z"), Validity{3, 0, 0})) ==
        "2023-09-08T10:11:12Z");
}

TEST_CASE("a leap day plus a year clamps to the end of February") {
  CHECK(format_date(add(parse_date_or_time("2024-02-29"), Validity{1, 0, 0})) == "2025-02-28");
  CHECK(format_date(add(parse_date_or_time("2024-01-31"), Validity{0, 1, 0})) == "2024-02-29");
  CHECK(format_date(add(parse_date_or_time("2024-12-31"), Validity{0, 0, 1})) == "2025-01-01");
}

TEST_CASE("validity strings") {
  CHECK(parse_validity("90d") == Validity{0, 0, 90});
  CHECK(parse_validity("1y") == Validity{1, 0, 0});
  CHECK(parse_validity("1y6m") == Validity{1, 6, 0});
  CHECK(to_string(parse_validity("18m")) == "18m");
  for (const char* bad : {"", "d", "10", "10x", "-1d", "0d", "1y-", "1.5y"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_validity(bad), Error);
  }
}

TEST_CASE("dates are parsed strictly") {
  CHECK(format_rfc3339(parse_date_or_time("2026-01-02")) == "2026-01-02T00:00:00Z");
  for (const char* bad : {"2026-13-01", "2026-02-30", "2026/01/02", "26-01-02", "2026-01-02T25:00:00Z",
                          "2026-01-02T10:00:00", "2026-01-02 "}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_date_or_time(bad), Error);
  }
}

TEST_CASE("days_between rounds down and goes negative") {
  auto a = parse_date_or_time("2026-01-01");
  CHECK(days_between(a, parse_date_or_time("2026-01-31")) == 30);
  CHECK(days_between(a, parse_date_or_time("2026-01-01T23:59:59Z")) == 0);
  CHECK(days_between(parse_date_or_time("2026-01-02"), a) == -1);
}

TEST_CASE("serials: uppercase hex out, any case and colons in") {
  auto s = Serial::parse("0a:1b:2C");
  CHECK(s.hex() == "0A1B2C");
  CHECK(Serial::parse("A1B2C") == Serial::parse("0a1b2c"));
  CHECK(Serial::parse("00ff").hex() == "FF");
  CHECK_THROWS_AS(Serial::parse("xyz"), Error);
  CHECK_THROWS_AS(Serial::parse("00"), Error);  // zero is not positive
  CHECK_THROWS_AS(Serial::parse(std::string(42, 'F')), Error);  // 21 octets
  CHECK_THROWS_AS(Serial::from_bytes(std::vector<std::uint8_t>(20, 0xFF)), Error);  // 21 in DER
  CHECK_NOTHROW(Serial::from_bytes(std::vector<std::uint8_t>(20, 0x7F)));
}

TEST_CASE("status is derived from time at every read") {
  CertificateRecord r;
  r.state = CertState::Active;
  r.not_after = parse_date_or_time("2023-09-08");
  CHECK(r.status_at(parse_date_or_time("2023-09-07")) == CertStatus::Active);
  CHECK(r.status_at(parse_date_or_time("2023-09-08")) == CertStatus::Expired);
  r.state = CertState::Superseded;
  CHECK(r.status_at(parse_date_or_time("2023-01-01")) == CertStatus::Superseded);
  CHECK(r.status_at(parse_date_or_time("2024-01-01")) == CertStatus::Expired);
  r.state = CertState::Revoked;
  CHECK(r.status_at(parse_date_or_time("2024-01-01")) == CertStatus::Revoked);
}
