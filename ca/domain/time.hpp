#pragma once
// Time in the domain: whole seconds, UTC. Calendar arithmetic for validity periods.
#include <chrono>
#include <string>
#include <string_view>

namespace inkan {

using Timestamp = std::chrono::sys_seconds;

// A validity period as people write it: "3y", "18m", "90d" (calendar years, months, days).
struct Validity {
  int years = 0;
  int months = 0;
  int days = 0;
  friend bool operator==(const Validity&, const Validity&) = default;
};

// Parses "90d", "1y", "18m", "1y6m"; throws Error(InvalidArgument) naming the text.
Validity parse_validity(std::string_view text);
std::string to_string(const Validity& v);

// Adds calendar units. A day that does not exist in the target month is clamped to the month's
// last day (2024-02-29 + 1y = 2025-02-28), the time of day is kept.
Timestamp add(Timestamp t, const Validity& v);

// RFC 3339 UTC, "2023-09-08T00:00:00Z".
std::string format_rfc3339(Timestamp t);
// "2023-09-08".
std::string format_date(Timestamp t);
// Accepts "YYYY-MM-DD" (midnight UTC) or RFC 3339 with a "Z" suffix.
Timestamp parse_date_or_time(std::string_view text);

// Whole days from `from` until `to`, rounded down; negative when `to` is earlier.
long days_between(Timestamp from, Timestamp to);

// Injected wherever a rule depends on "now", so tests never sleep.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp t) : t_(t) {}
  Timestamp now() const override { return t_; }
  void set(Timestamp t) { t_ = t; }
  void advance(std::chrono::seconds d) { t_ += d; }

 private:
  Timestamp t_;
};

}  // namespace inkan
