#include "ca/crypto/secrets/secret_string.hpp"

#include <string.h>  // explicit_bzero (glibc)

namespace inkan::crypto {

void wipe(std::string& s) noexcept {
  // The whole capacity: a moved-from or shortened string keeps old characters past size(),
  // in its inline buffer or on the heap.
  if (s.capacity() > 0) ::explicit_bzero(s.data(), s.capacity());
  s.clear();
}

}  // namespace inkan::crypto
