#pragma once
#include <string>
#include <string_view>

#include "ca/domain/records.hpp"

namespace inkan::service {
std::string hex_encode(const Bytes& b);
// Throws Error(Integrity): hex in the store that does not decode means the store was altered.
Bytes hex_decode(std::string_view s);
}  // namespace inkan::service
