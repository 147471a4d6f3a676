#include "ca/crypto/secrets/password_hash.hpp"

#include <botan/argon2.h>

#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {
constexpr std::uint8_t kArgon2id = 2;  // Botan's family numbering: 0 = d, 1 = i, 2 = id
}

std::string hash_password(std::string_view password, Rng& rng, const PasswordHashParams& p) {
  try {
    return Botan::argon2_generate_pwhash(password.data(), password.size(), rng.botan(),
                                         p.parallelism, p.memory_kib, p.iterations, kArgon2id,
                                         16, 32);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::Crypto, std::string("Argon2id hashing failed: ") + e.what());
  }
}

bool verify_password(std::string_view password, const std::string& phc) {
  // Only Argon2id is accepted: a hash edited into "$argon2d$" must not pass.
  if (phc.rfind("$argon2id$", 0) != 0) return false;
  try {
    return Botan::argon2_check_pwhash(password.data(), password.size(), phc);
  } catch (const std::exception&) {
    return false;
  }
}

const std::string& decoy_password_hash(const PasswordHashParams& params) {
  static std::mutex mutex;
  static std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, std::string> cache;
  const std::lock_guard lock(mutex);
  auto& slot = cache[{params.memory_kib, params.iterations, params.parallelism}];
  if (slot.empty()) {
    auto rng = Rng::system();
    std::vector<std::uint8_t> secret(32);
    rng->fill(secret);
    slot = hash_password(std::string_view(reinterpret_cast<const char*>(secret.data()), secret.size()),
                         *rng, params);
  }
  return slot;
}

}  // namespace inkan::crypto
