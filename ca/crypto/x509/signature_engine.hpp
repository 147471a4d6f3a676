#pragma once
// Which library computes a CA key's signatures (issue 17). RSA keys held in memory sign with
// OpenSSL 3 by default: its RSA-3072 PKCS#1 v1.5 signature costs about 1.7 ms of CPU where
// Botan 2's costs 2.8 - 3.5 ms (docs/benchmarks.md), and the signatures are the same octets
// (PKCS#1 v1.5 is deterministic). ECDSA keys sign with Botan, token keys on their token.
#include <string_view>

namespace inkan::crypto {

enum class SignatureEngine { Botan, OpenSsl, Token };

// The choice for an RSA key in memory; Botan is kept for comparisons (tests, benchmarks).
enum class RsaEngine { OpenSsl, Botan };

constexpr std::string_view to_string(SignatureEngine e) {
  switch (e) {
    case SignatureEngine::Botan: return "botan";
    case SignatureEngine::OpenSsl: return "openssl";
    case SignatureEngine::Token: return "token";
  }
  return "?";
}

}  // namespace inkan::crypto
