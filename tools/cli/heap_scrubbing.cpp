#include "cli/heap_scrubbing.hpp"

#include <malloc.h>  // malloc_usable_size (glibc)
#include <openssl/crypto.h>
#include <string.h>  // explicit_bzero

#include <cstdlib>
#include <new>

// ASan and UBSan builds keep the sanitizer's own operator delete, with its mismatch checks.
#if defined(__SANITIZE_ADDRESS__)
#define INKAN_SCRUB_HEAP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define INKAN_SCRUB_HEAP 0
#endif
#endif
#ifndef INKAN_SCRUB_HEAP
#define INKAN_SCRUB_HEAP 1
#endif

namespace {

// malloc_usable_size covers the whole block, including slack past what was asked for, where an
// earlier, longer value may still lie. explicit_bzero is not removed as a store before free().
void wipe_and_free(void* p) noexcept {
  if (!p) return;
  ::explicit_bzero(p, ::malloc_usable_size(p));
  std::free(p);
}

#if INKAN_SCRUB_HEAP
void* openssl_malloc(size_t n, const char*, int) { return std::malloc(n); }
void openssl_free(void* p, const char*, int) { wipe_and_free(p); }
// realloc would leave the old block unwiped when it moves the data; so grow by copy.
void* openssl_realloc(void* p, size_t n, const char*, int) {
  if (!p) return std::malloc(n);
  if (n == 0) {
    wipe_and_free(p);
    return nullptr;
  }
  const size_t have = ::malloc_usable_size(p);
  if (n <= have) return p;
  void* q = std::malloc(n);
  if (!q) return nullptr;
  ::memcpy(q, p, have);
  wipe_and_free(p);
  return q;
}
#endif

}  // namespace

namespace inkan::cli {

bool scrub_freed_memory() {
#if INKAN_SCRUB_HEAP
  return CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free) == 1;
#else
  return false;
#endif
}

}  // namespace inkan::cli

#if INKAN_SCRUB_HEAP
// Replacements of the global deallocation functions (the allocation ones stay libstdc++'s, which
// take memory from malloc, aligned_alloc included, so free() is the matching release).
void operator delete(void* p) noexcept { wipe_and_free(p); }
void operator delete[](void* p) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::size_t) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::size_t) noexcept { wipe_and_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { wipe_and_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { wipe_and_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { wipe_and_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { wipe_and_free(p); }
#endif
