#pragma once
// Invariant checks for the fuzz targets. abort() rather than assert(): the targets are built
// RelWithDebInfo (NDEBUG) for replay, and libFuzzer reports an abort as a crash with its input.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)

namespace inkan::fuzz {
// No byte that could split a header or a path: used on every name the targets produce.
inline bool header_safe(std::string_view s) {
  for (char c : s)
    if (c == '\0' || c == '\r' || c == '\n') return false;
  return true;
}
}  // namespace inkan::fuzz
