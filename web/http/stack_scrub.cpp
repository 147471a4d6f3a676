#include "web/http/stack_scrub.hpp"

#include <string.h>  // explicit_bzero

namespace inkan::web {

// noinline: its frame must lie where the callee frames of the caller just were. 16 KiB covers
// nlohmann's serializer (about 600 bytes) with the frames around it, and is far below the stack
// size of any thread.
__attribute__((noinline)) void scrub_stack() noexcept {
  unsigned char area[16 * 1024];
  ::explicit_bzero(area, sizeof area);
  asm volatile("" : : "r"(area) : "memory");  // the area counts as used: the wipe stays
}

}  // namespace inkan::web
