#include "cli/test_clock.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace inkan::cli {

Timestamp OffsetFileClock::now() const {
  struct stat st {};
  const long long mtime = ::stat(path_.c_str(), &st) == 0
                              ? static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec
                              : 0;
  // Two threads may both read a changed file: they read the same offset.
  if (seen_mtime_ns_.exchange(mtime) != mtime) {
    long long offset = 0;
    std::ifstream in(path_);
    if (in && !(in >> offset)) offset = 0;
    offset_s_.store(offset);
  }
  return SystemClock().now() + std::chrono::seconds(offset_s_.load());
}

std::unique_ptr<Clock> process_clock() {
  const char* path = std::getenv("INKAN_TEST_CLOCK_FILE");
  if (path && *path) return std::make_unique<OffsetFileClock>(path);
  return std::make_unique<SystemClock>();
}

}  // namespace inkan::cli
