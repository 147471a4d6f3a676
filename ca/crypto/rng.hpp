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
