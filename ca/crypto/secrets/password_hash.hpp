#pragma once
// Administrator passwords: Argon2id (RFC 9106) in the PHC string format
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", so the parameters travel with each hash and
// can be raised later without breaking old ones.
#include <cstdint>
#include <string>
#include <string_view>

namespace inkan::crypto {

class Rng;

struct PasswordHashParams {
  std::uint32_t memory_kib = 19 * 1024;  // m
  std::uint32_t iterations = 2;          // t
  std::uint32_t parallelism = 1;         // p
};

// OWASP's Argon2id baseline (m=19 MiB, t=2, p=1): about 50-60 ms on one core of our 2-core
// appliance (125 ms under full load), so a login costs little while offline guessing on a
// stolen database is slow. One core per attempt leaves the other for TLS.
inline constexpr PasswordHashParams kAdminPasswordHash{};
// For unit tests only: the same code path at a fraction of the cost.
inline constexpr PasswordHashParams kTestPasswordHash{256, 1, 1};

// Argon2id with a 16-octet random salt and a 32-octet output.
std::string hash_password(std::string_view password, Rng& rng, const PasswordHashParams& params);

// True when `password` matches `phc`. False (never an exception) for a malformed or non-Argon2id
// string. The final comparison inside Botan is constant-time.
bool verify_password(std::string_view password, const std::string& phc);

// A valid hash of no password anyone knows, with the given cost: verified against when the
// username is unknown, so an unknown user costs the same time as a wrong password.
const std::string& decoy_password_hash(const PasswordHashParams& params);

}  // namespace inkan::crypto
