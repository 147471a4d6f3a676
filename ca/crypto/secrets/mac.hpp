#pragma once
// Message authentication for stateless tokens (the portal's CSRF token).
#include <string>
#include <string_view>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

// Lowercase hex of HMAC-SHA-256(key, message).
std::string hmac_sha256_hex(const Bytes& key, std::string_view message);

}  // namespace inkan::crypto
