#pragma once
// Randomness is injected: services take an Rng&, tests pass a seeded one.
#include <cstdint>
#include <memory>
#include <span>

namespace Botan { class RandomNumberGenerator; }

namespace inkan::crypto {

class Rng {
 public:
  // The operating system's CSPRNG (getrandom), via Botan's System_RNG.
  static std::unique_ptr<Rng> system();
  // A ChaCha-based generator from a fixed seed, for reproducible tests only.
  static std::unique_ptr<Rng> deterministic(std::uint64_t seed);

  ~Rng();
  void fill(std::span<std::uint8_t> out);
  // For ca/crypto internals that call Botan.
  Botan::RandomNumberGenerator& botan();

 private:
  explicit Rng(std::unique_ptr<Botan::RandomNumberGenerator> impl);
  std::unique_ptr<Botan::RandomNumberGenerator> impl_;
};

}  // namespace inkan::crypto

#include "ca/domain/serial.hpp"

namespace inkan::crypto {

// 126 random bits in 16 octets: positive, fixed width, >= 64 bits of CSPRNG output (CA/B Forum),
// well under RFC 5280's 20 octets.
Serial random_serial(Rng& rng);

}  // namespace inkan::crypto
