#include "ca/crypto/rng.hpp"

#include <botan/chacha_rng.h>
#include <botan/system_rng.h>

namespace inkan::crypto {

Rng::Rng(std::unique_ptr<Botan::RandomNumberGenerator> impl) : impl_(std::move(impl)) {}
Rng::~Rng() = default;

std::unique_ptr<Rng> Rng::system() {
  return std::unique_ptr<Rng>(new Rng(std::make_unique<Botan::System_RNG>()));
}

std::unique_ptr<Rng> Rng::deterministic(std::uint64_t seed) {
  std::vector<std::uint8_t> seed_bytes(32, 0);
  for (int i = 0; i < 8; ++i) seed_bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(seed >> (8 * i));
  auto rng = std::make_unique<Botan::ChaCha_RNG>(Botan::secure_vector<std::uint8_t>(seed_bytes.begin(), seed_bytes.end()));
  return std::unique_ptr<Rng>(new Rng(std::move(rng)));
}

void Rng::fill(std::span<std::uint8_t> out) { impl_->randomize(out.data(), out.size()); }

Botan::RandomNumberGenerator& Rng::botan() { return *impl_; }

}  // namespace inkan::crypto

namespace inkan::crypto {

Serial random_serial(Rng& rng) {
  std::vector<std::uint8_t> bytes(16);
  rng.fill(bytes);
  bytes[0] = static_cast<std::uint8_t>((bytes[0] & 0x3F) | 0x40);  // top bit clear, next bit set
  return Serial::from_bytes(std::move(bytes));
}

}  // namespace inkan::crypto
