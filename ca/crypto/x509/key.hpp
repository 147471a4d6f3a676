#pragma once
// A private key, held by Botan. Plaintext key material only ever leaves as the in-memory PKCS#8
// handed to the PKCS#12 writer; at rest it is PBES2-encrypted PKCS#8 PEM.
#include <memory>
#include <string>
#include <string_view>

#include "ca/domain/enums.hpp"
#include "ca/domain/records.hpp"

namespace Botan { class Private_Key; }

namespace inkan::crypto {

class Rng;

// design.md §7: PBKDF2 >= 600k iterations for keys at rest.
inline constexpr std::size_t kKeyPbkdfIterations = 600'000;

class PrivateKey {
 public:
  static PrivateKey generate(KeyType type, Rng& rng);
  // Throws Error(WrongPassphrase) when the passphrase does not decrypt it.
  static PrivateKey from_encrypted_pem(std::string_view pem, std::string_view passphrase);
  // Unencrypted PKCS#8 DER (e.g. from a parsed PKCS#12).
  static PrivateKey from_pkcs8_der(const Bytes& der);
  // A key whose signatures a PKCS#11 token makes (ca/crypto/pkcs11/token_key.hpp builds it).
  static PrivateKey from_token(std::unique_ptr<Botan::Private_Key> key);

  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

  // PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC: OpenSSL 3 reads it (GCM and scrypt it cannot).
  // Both exports throw Error(InvalidState) for a token key: it never leaves the token.
  std::string to_encrypted_pem(std::string_view passphrase, Rng& rng,
                               std::size_t iterations = kKeyPbkdfIterations) const;
  Bytes to_pkcs8_der() const;
  Bytes public_key_der() const;  // SubjectPublicKeyInfo
  KeyType type() const { return type_; }
  bool held_by_token() const { return on_token_; }

  const Botan::Private_Key& botan() const { return *key_; }

 private:
  PrivateKey(std::unique_ptr<Botan::Private_Key> key, KeyType type, bool on_token = false);
  void refuse_export_from_token() const;
  std::unique_ptr<Botan::Private_Key> key_;
  KeyType type_;
  bool on_token_ = false;
};

// Key type of a SubjectPublicKeyInfo; throws Error(PolicyViolation) for keys we do not issue to.
KeyType key_type_of_public_key(const Bytes& spki_der);

}  // namespace inkan::crypto
