#include "ca/crypto/secrets/session_token.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

#include <vector>

#include "ca/crypto/rng.hpp"

namespace inkan::crypto {

std::string random_token(Rng& rng) {
  std::vector<std::uint8_t> raw(kTokenBytes);
  rng.fill(raw);
  return Botan::hex_encode(raw, false);
}

std::string token_digest(std::string_view token) {
  auto sha = Botan::HashFunction::create_or_throw("SHA-256");
  sha->update(reinterpret_cast<const std::uint8_t*>(token.data()), token.size());
  return Botan::hex_encode(sha->final(), false);
}

}  // namespace inkan::crypto
