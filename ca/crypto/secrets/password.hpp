#pragma once
// Generated PKCS#12 passwords (issue 2 item 5, design.md §5): printable ASCII from an alphabet
// without look-alike characters (no 0/O, 1/I/l, o), 20 symbols of log2(56) ≈ 5.81 bits each
// (≈ 116 bits ≥ 112), grouped for typing as "xxxx-xxxx-xxxx-xxxx-xxxx".
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "ca/crypto/rng.hpp"

namespace inkan::crypto {

inline constexpr std::string_view kP12PasswordAlphabet =
    "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";
inline constexpr std::size_t kP12PasswordSymbols = 20;
inline constexpr std::size_t kP12PasswordGroup = 4;

// random_bytes must fill its whole argument with uniformly random octets (a CSPRNG).
// Symbols are drawn by rejection sampling, so every symbol is exactly uniform.
// Throws Error(Crypto) if the source keeps producing rejected octets (a broken source).
std::string generate_p12_password(const std::function<void(std::span<std::uint8_t>)>& random_bytes);

inline std::string generate_p12_password(Rng& rng) {
  return generate_p12_password([&rng](std::span<std::uint8_t> out) { rng.fill(out); });
}

// Entropy of one generated password in bits: kP12PasswordSymbols * log2(alphabet size).
double p12_password_entropy_bits();

}  // namespace inkan::crypto
