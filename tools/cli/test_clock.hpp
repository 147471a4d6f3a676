#pragma once
// The process clock of every command: the system clock, or, when $INKAN_TEST_CLOCK_FILE names a
// file, the system clock shifted by the offset that file holds. Suites start a real `inkan serve`
// and move its "now" while it runs (a CRL made stale, a server certificate near its end) by
// rewriting the file; every command of the suite reads the same file. See docs/security.md.
#include <atomic>
#include <memory>
#include <string>

#include "ca/domain/time.hpp"

namespace inkan::cli {

// The file holds a signed number of seconds ("+691200", "-3600", "0"); an empty, missing or
// unreadable file means no offset. The file is read again when its modification time changes.
class OffsetFileClock final : public Clock {
 public:
  explicit OffsetFileClock(std::string path) : path_(std::move(path)) {}
  Timestamp now() const override;

 private:
  std::string path_;
  mutable std::atomic<long long> seen_mtime_ns_{-1};
  mutable std::atomic<long long> offset_s_{0};
};

// $INKAN_TEST_CLOCK_FILE set: an OffsetFileClock on it; otherwise the system clock.
std::unique_ptr<Clock> process_clock();

}  // namespace inkan::cli
