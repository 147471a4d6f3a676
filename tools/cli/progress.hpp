#pragma once
// A progress line on stderr: count/total, rate and ETA. On a terminal it rewrites one line at
// most 4 times a second; otherwise it prints a plain line at most once a second.
#include <chrono>
#include <cstdint>
#include <string>

namespace inkan::cli {

class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  void update(std::int64_t done, std::int64_t total);
  void finish();  // the last figures, and a newline on a terminal

 private:
  void print(bool final);
  using Clock = std::chrono::steady_clock;
  std::string label_;
  bool tty_;
  Clock::time_point start_, last_print_{};
  std::int64_t first_done_ = -1, done_ = 0, total_ = 0;
  bool printed_ = false;
};

}  // namespace inkan::cli
