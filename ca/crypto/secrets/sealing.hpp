#pragma once
// Secrets at rest that must be shown again (p12 passwords): AES-256-GCM under a random data key;
// the data key itself is wrapped under a key derived from the operator's passphrase.
#include <string>
#include <string_view>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

class Rng;

inline constexpr std::uint32_t kPassphrasePbkdfIterations = 600'000;

struct KdfParams {
  Bytes salt;  // 16 octets
  std::uint32_t iterations = kPassphrasePbkdfIterations;
};

struct Sealed {
  Bytes nonce;       // 12 octets
  Bytes ciphertext;  // with the 16-octet tag appended
};

class DataKey {
 public:
  static DataKey generate(Rng& rng);
  static KdfParams new_kdf_params(Rng& rng);
  // PBKDF2-HMAC-SHA256 of the passphrase unwraps the key; Error(WrongPassphrase) if it does not.
  static DataKey unwrap(const Sealed& wrapped, std::string_view passphrase, const KdfParams& kdf);

  Sealed wrap(std::string_view passphrase, const KdfParams& kdf, Rng& rng) const;

  // `context` is authenticated, not encrypted: it binds a ciphertext to its owner (a serial), so
  // a ciphertext copied onto another row does not open.
  Sealed seal(std::string_view plaintext, std::string_view context, Rng& rng) const;
  // Error(Integrity) when the ciphertext or its context was altered.
  std::string open(const Sealed& sealed, std::string_view context) const;

  // Lowercase hex HMAC-SHA-256 of `message` under a key derived from the data key for `purpose`
  // (HMAC(data key, "inkan mac|" + purpose)): only someone who can unlock the store can make one
  // (backup manifests, issue 14 item 5). One derived key per purpose, never the data key itself.
  std::string mac_hex(std::string_view purpose, std::string_view message) const;

 private:
  explicit DataKey(Bytes key) : key_(std::move(key)) {}
  Bytes key_;
};

// Constant-time comparison for secrets (tokens, password hashes).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace inkan::crypto
