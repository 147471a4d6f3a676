#pragma once
// The secrets one command needs, unlocked by the operator's passphrase: the data key (sealing
// p12 passwords) and, on first use, the active issuing CA's private key.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/secrets/sealing.hpp"
#include "ca/crypto/secrets/secret_string.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

class Keyring {
 public:
  // Throws Error(WrongPassphrase) when the passphrase does not unwrap the data key, and
  // Error(InvalidState) when the directory has not been initialised.
  static Keyring unlock(Store& store, std::string_view passphrase);
  // For `init`: a fresh data key, to be stored with store_wrapped().
  static Keyring create(std::string_view passphrase, crypto::Rng& rng);

  Keyring(Keyring&&) noexcept;
  ~Keyring();

  void store_wrapped(Store& store, crypto::Rng& rng);
  const crypto::DataKey& data_key() const { return data_key_; }
  // The passphrase, for the moment a key is encrypted or decrypted with it (server key, CA
  // rollover). Held masked, never as plain text (issue 7, passphrase hygiene): see keyring.cpp.
  // Error(InvalidState) when the passphrase was changed since this Keyring was unlocked (a
  // running `serve` must not store a key under the old one): see require_current.
  crypto::SecretString passphrase(Store& store) const;
  // Error(InvalidState) unless the store's wrapped data key is still the one this Keyring
  // unlocked (or stored): after `inkan passphrase change` an older process keeps what it has
  // unlocked (the data key is unchanged, so sealed passwords still open) but must not decrypt
  // or encrypt anything under its old passphrase.
  void require_current(Store& store) const;

  // Decrypts every CA key held in the store now, so a long-running process (serve) never needs
  // the passphrase for them later.
  void unlock_all_cas(Store& store);

  // `inkan passphrase change`: a Keyring for the same data key under `new_passphrase`, whose
  // wrapping the caller stores (store_wrapped) in the transaction that re-encrypts the keys.
  Keyring with_passphrase(std::string_view new_passphrase) const;

  // Where the PIN of a CA key held in a PKCS#11 token comes from (a file or the terminal: the
  // front end decides). Asked when such a key is first used, once per key; the token connection
  // keeps it (wiped with the key) to log in again after the token went away.
  using TokenPinSource = std::function<crypto::SecretString(const TokenKeyRef&)>;
  void set_token_pin_source(TokenPinSource source) { token_pin_ = std::move(source); }
  const TokenPinSource& token_pin_source() const { return token_pin_; }

  // The CA that signs new certificates, with its key decrypted (cached for this Keyring).
  // Safe from several threads (the server's workers): the cache is locked, and a SigningCa
  // signs concurrently.
  const crypto::SigningCa& issuing_ca(Store& store);
  // Any CA of ours by id, e.g. to sign CRLs of a previous issuing CA.
  const crypto::SigningCa& ca(Store& store, std::int64_t ca_id);
  // Whether CA `ca_id`'s key is decrypted here already (no passphrase use, no PBKDF2): the
  // health check of `serve` asks it on every probe.
  bool holds(std::int64_t ca_id) const;

 private:
  Keyring(std::string_view passphrase, crypto::DataKey key);
  crypto::SecretString plain_passphrase() const;
  // passphrase XOR pad, with a random pad of the same length: a core dump or swapped page does not
  // hold the passphrase as text. Not a protection against someone who reads both (they would have
  // the unlocked keys anyway), but the passphrase may guard other things the operator owns.
  std::vector<std::uint8_t> masked_passphrase_;
  std::vector<std::uint8_t> pad_;
  crypto::DataKey data_key_;
  std::string wrapped_hex_;  // the wrapped data key as stored when unlocked or last stored
  std::unique_ptr<std::mutex> cas_mutex_ = std::make_unique<std::mutex>();  // a pointer: Keyring moves
  std::map<std::int64_t, std::unique_ptr<crypto::SigningCa>> cas_;
  TokenPinSource token_pin_;
};

// The key of a CA or pending CA kept on a token: opened with a PIN from `pin`, which must be set.
crypto::PrivateKey open_token_key(const TokenKeyRef& ref, const Keyring::TokenPinSource& pin);

}  // namespace inkan::service
