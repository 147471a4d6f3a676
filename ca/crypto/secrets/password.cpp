#include "ca/crypto/secrets/password.hpp"

#include <array>
#include <cmath>

#include "ca/domain/error.hpp"

namespace inkan::crypto {

namespace {

constexpr std::size_t kAlphabetSize = kP12PasswordAlphabet.size();
static_assert(kAlphabetSize == 56);
static_assert(kP12PasswordSymbols % kP12PasswordGroup == 0);
// Largest multiple of the alphabet size that fits in an octet: octets at or above it are
// rejected, so `octet % 56` is exactly uniform (224 = 4 * 56; 1/8 of octets are rejected).
constexpr unsigned kAcceptBelow = 256 / kAlphabetSize * kAlphabetSize;
static_assert(kAcceptBelow == 224);

// A healthy source needs about 23 octets; 64 rounds of 32 octets all being rejected has
// probability 8^-2048. Reaching the cap means the source is broken (e.g. all 0xff).
constexpr int kMaxRounds = 64;

}  // namespace

std::string generate_p12_password(const std::function<void(std::span<std::uint8_t>)>& random_bytes) {
  if (!random_bytes) throw Error(ErrorCode::InvalidArgument, "no random source for the p12 password");
  std::string symbols;
  symbols.reserve(kP12PasswordSymbols);
  std::array<std::uint8_t, 32> buf{};
  for (int round = 0; round < kMaxRounds && symbols.size() < kP12PasswordSymbols; ++round) {
    random_bytes(std::span<std::uint8_t>(buf));
    for (std::uint8_t b : buf) {
      if (b >= kAcceptBelow) continue;
      symbols.push_back(kP12PasswordAlphabet[b % kAlphabetSize]);
      if (symbols.size() == kP12PasswordSymbols) break;
    }
  }
  buf.fill(0);
  if (symbols.size() != kP12PasswordSymbols)
    throw Error(ErrorCode::Crypto, "random source rejected: cannot draw a p12 password");

  std::string out;
  out.reserve(kP12PasswordSymbols + kP12PasswordSymbols / kP12PasswordGroup - 1);
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (i != 0 && i % kP12PasswordGroup == 0) out.push_back('-');
    out.push_back(symbols[i]);
  }
  return out;
}

double p12_password_entropy_bits() {
  return static_cast<double>(kP12PasswordSymbols) * std::log2(static_cast<double>(kAlphabetSize));
}

}  // namespace inkan::crypto
