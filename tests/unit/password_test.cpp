// Generated p12 passwords: format, alphabet, entropy, and no modulo bias.
#include <catch2/catch_test_macros.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <span>
#include <string>

#include "ca/crypto/secrets/password.hpp"
#include "ca/domain/error.hpp"

using inkan::crypto::generate_p12_password;
using inkan::crypto::kP12PasswordAlphabet;

namespace {

// Test-only source: a seeded Mersenne twister (statistically uniform, not a CSPRNG).
// Returned as a std::function held by the caller: passing a lambda by value would copy the
// generator's state into each call and repeat the same password.
std::function<void(std::span<std::uint8_t>)> mt_source(std::uint64_t seed) {
  return [gen = std::mt19937_64(seed)](std::span<std::uint8_t> out) mutable {
    for (auto& b : out) b = static_cast<std::uint8_t>(gen() >> 56);
  };
}

}  // namespace

TEST_CASE("p12 password: grouped format from the unambiguous alphabet", "[password]") {
  auto src = mt_source(1);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string pw = generate_p12_password(src);
    REQUIRE(pw.size() == 24);
    for (std::size_t j = 0; j < pw.size(); ++j) {
      if (j % 5 == 4) {
        REQUIRE(pw[j] == '-');
      } else {
        REQUIRE(kP12PasswordAlphabet.find(pw[j]) != std::string_view::npos);
        const unsigned char c = static_cast<unsigned char>(pw[j]);
        REQUIRE(c > 0x20);
        REQUIRE(c < 0x7f);
      }
    }
    seen.insert(pw);
  }
  REQUIRE(seen.size() == 200);
}

TEST_CASE("p12 password: alphabet has no look-alikes and 56 distinct symbols", "[password]") {
  REQUIRE(kP12PasswordAlphabet.size() == 56);
  REQUIRE(std::set<char>(kP12PasswordAlphabet.begin(), kP12PasswordAlphabet.end()).size() == 56);
  for (char c : std::string("01OIlo-"))
    REQUIRE(kP12PasswordAlphabet.find(c) == std::string_view::npos);
}

TEST_CASE("p12 password: at least 112 bits of entropy", "[password]") {
  const double bits = inkan::crypto::p12_password_entropy_bits();
  REQUIRE(bits >= 112.0);
  REQUIRE(std::fabs(bits - 20.0 * std::log2(56.0)) < 1e-9);
}

TEST_CASE("p12 password: every symbol comes from exactly 4 of the 256 octet values", "[password]") {
  // For each octet value v, a source whose first octet is v and whose next octets are 0, 1, ...
  // The first symbol is alphabet[v % 56] when v < 224 and otherwise v is skipped (rejected).
  // Hence, for uniform octets, each symbol has probability exactly 4/224: no modulo bias.
  // (A plain `v % 56` over all 256 values would give the first 32 symbols 5/256.)
  std::map<char, int> preimages;
  for (int v = 0; v < 256; ++v) {
    auto src = [v](std::span<std::uint8_t> out) {
      out[0] = static_cast<std::uint8_t>(v);
      for (std::size_t i = 1; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(i - 1);
    };
    const std::string pw = generate_p12_password(src);
    if (v < 224) {
      REQUIRE(pw[0] == kP12PasswordAlphabet[static_cast<std::size_t>(v) % 56]);
      ++preimages[pw[0]];
    } else {
      REQUIRE(pw.substr(0, 4) == "2345");  // v skipped, then octets 0, 1, 2, 3
    }
  }
  REQUIRE(preimages.size() == 56);
  for (const auto& [c, n] : preimages) REQUIRE(n == 4);
}

TEST_CASE("p12 password: octets >= 224 are rejected", "[password]") {
  // A source whose first octets are all in the rejected range 224..255 followed by 0..: the result
  // must start with alphabet[0], never with alphabet[(224..255) % 56] (= symbols 0..31 reused).
  int calls = 0;
  auto src = [&calls](std::span<std::uint8_t> out) {
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = calls == 0 ? static_cast<std::uint8_t>(224 + i) : static_cast<std::uint8_t>(i);
    ++calls;
  };
  const std::string pw = generate_p12_password(src);
  REQUIRE(calls == 2);
  REQUIRE(pw == "2345-6789-ABCD-EFGH-JKLM");
}

TEST_CASE("p12 password: symbol frequencies are uniform (chi-square)", "[password]") {
  auto src = mt_source(42);
  std::array<long, 56> counts{};
  const int n_pw = 20000;
  for (int i = 0; i < n_pw; ++i)
    for (char c : generate_p12_password(src))
      if (c != '-') ++counts[kP12PasswordAlphabet.find(c)];
  const double expected = n_pw * 20.0 / 56.0;
  double chi2 = 0;
  for (long n : counts) chi2 += (static_cast<double>(n) - expected) * (static_cast<double>(n) - expected) / expected;
  INFO("chi2 = " << chi2);
  // 55 degrees of freedom: mean 55, P(chi2 > 110) ~ 1e-5. Modulo bias (32 symbols at 5/256,
  // 24 at 4/256) would give chi2 in the thousands at this sample size.
  REQUIRE(chi2 < 110.0);
  // Symbols 0..31 and 32..55 must not differ in mean frequency (the modulo-bias signature).
  double lo = 0, hi = 0;
  for (int i = 0; i < 32; ++i) lo += static_cast<double>(counts[i]);
  for (int i = 32; i < 56; ++i) hi += static_cast<double>(counts[i]);
  REQUIRE(std::fabs(lo / 32 / (hi / 24) - 1.0) < 0.02);
}

TEST_CASE("p12 password: a broken source is refused", "[password]") {
  auto stuck = [](std::span<std::uint8_t> out) {
    for (auto& b : out) b = 0xff;
  };
  try {
    (void)generate_p12_password(stuck);
    FAIL("expected an error");
  } catch (const inkan::Error& e) {
    REQUIRE(e.code() == inkan::ErrorCode::Crypto);
  }
}
