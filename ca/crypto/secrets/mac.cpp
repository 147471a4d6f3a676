#include "ca/crypto/secrets/mac.hpp"

#include <botan/hex.h>
#include <botan/mac.h>

#include "ca/domain/error.hpp"

namespace inkan::crypto {

std::string hmac_sha256_hex(const Bytes& key, std::string_view message) {
  auto mac = Botan::MessageAuthenticationCode::create("HMAC(SHA-256)");
  if (!mac) throw Error(ErrorCode::Crypto, "HMAC-SHA-256 is not available");
  mac->set_key(key);
  mac->update(reinterpret_cast<const std::uint8_t*>(message.data()), message.size());
  return Botan::hex_encode(mac->final(), false);
}

}  // namespace inkan::crypto
