#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace inkan::cli {

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)), tty_(::isatty(STDERR_FILENO) == 1), start_(Clock::now()) {}

void ProgressLine::update(std::int64_t done, std::int64_t total) {
  if (first_done_ < 0) first_done_ = done;
  done_ = done;
  total_ = total;
  const auto interval = tty_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(1000);
  if (Clock::now() - last_print_ >= interval) print(false);
}

void ProgressLine::finish() {
  if (first_done_ >= 0) print(true);
}

void ProgressLine::print(bool final) {
  last_print_ = Clock::now();
  const double secs = std::chrono::duration<double>(last_print_ - start_).count();
  const double rate = secs > 0 ? static_cast<double>(done_ - first_done_) / secs : 0;
  char eta[32] = "--";
  if (rate > 0 && total_ > done_) {
    const auto s = static_cast<long>(static_cast<double>(total_ - done_) / rate + 0.5);
    std::snprintf(eta, sizeof eta, "%ld:%02ld", s / 60, s % 60);
  } else if (total_ <= done_) {
    std::snprintf(eta, sizeof eta, "0:00");
  }
  const int pct = total_ > 0 ? static_cast<int>(100 * done_ / total_) : 100;
  std::fprintf(stderr, "%s%s %lld/%lld (%d%%)  %.0f certs/s  ETA %s%s", tty_ ? "\r" : "", label_.c_str(),
               static_cast<long long>(done_), static_cast<long long>(total_), pct, rate, eta,
               tty_ ? "\x1b[K" : "\n");
  if (tty_ && final) std::fputc('\n', stderr);
  std::fflush(stderr);
  printed_ = true;
}

}  // namespace inkan::cli
