#include "ca/crypto/secrets/sealing.hpp"

#include <botan/aead.h>
#include <botan/mem_ops.h>
#include <botan/pwdhash.h>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/secrets/mac.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {

constexpr std::size_t kKeyLen = 32;
constexpr std::size_t kNonceLen = 12;

Sealed gcm_seal(const Bytes& key, const std::uint8_t* data, std::size_t len, std::string_view ad, Rng& rng) {
  auto enc = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::ENCRYPTION);
  enc->set_key(key);
  enc->set_associated_data(reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size());
  Sealed out;
  out.nonce.resize(kNonceLen);
  rng.fill(out.nonce);
  enc->start(out.nonce);
  Botan::secure_vector<std::uint8_t> buf(data, data + len);
  enc->finish(buf);
  out.ciphertext.assign(buf.begin(), buf.end());
  return out;
}

// Returns false when the tag does not verify.
bool gcm_open(const Bytes& key, const Sealed& s, std::string_view ad, Botan::secure_vector<std::uint8_t>& out) {
  if (s.nonce.size() != kNonceLen || s.ciphertext.size() < 16) return false;
  auto dec = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::DECRYPTION);
  dec->set_key(key);
  dec->set_associated_data(reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size());
  dec->start(s.nonce);
  out.assign(s.ciphertext.begin(), s.ciphertext.end());
  try {
    dec->finish(out);
  } catch (const Botan::Invalid_Authentication_Tag&) {
    return false;
  }
  return true;
}

Bytes derive_kek(std::string_view passphrase, const KdfParams& kdf) {
  if (kdf.iterations < 100'000 || kdf.salt.size() < 16)
    throw Error(ErrorCode::Integrity, "stored key-derivation parameters are too weak");
  auto family = Botan::PasswordHashFamily::create_or_throw("PBKDF2(SHA-256)");
  auto pbkdf = family->from_params(kdf.iterations);
  Bytes kek(kKeyLen);
  pbkdf->derive_key(kek.data(), kek.size(), passphrase.data(), passphrase.size(), kdf.salt.data(),
                    kdf.salt.size());
  return kek;
}

constexpr std::string_view kWrapContext = "inkan data key v1";

}  // namespace

DataKey DataKey::generate(Rng& rng) {
  Bytes key(kKeyLen);
  rng.fill(key);
  return DataKey(std::move(key));
}

KdfParams DataKey::new_kdf_params(Rng& rng) {
  KdfParams p;
  p.salt.resize(16);
  rng.fill(p.salt);
  return p;
}

DataKey DataKey::unwrap(const Sealed& wrapped, std::string_view passphrase, const KdfParams& kdf) {
  auto kek = derive_kek(passphrase, kdf);
  Botan::secure_vector<std::uint8_t> key;
  if (!gcm_open(kek, wrapped, kWrapContext, key) || key.size() != kKeyLen)
    throw Error(ErrorCode::WrongPassphrase, "wrong passphrase: it does not unlock this data directory");
  return DataKey(Bytes(key.begin(), key.end()));
}

Sealed DataKey::wrap(std::string_view passphrase, const KdfParams& kdf, Rng& rng) const {
  return gcm_seal(derive_kek(passphrase, kdf), key_.data(), key_.size(), kWrapContext, rng);
}

Sealed DataKey::seal(std::string_view plaintext, std::string_view context, Rng& rng) const {
  return gcm_seal(key_, reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size(), context, rng);
}

std::string DataKey::mac_hex(std::string_view purpose, std::string_view message) const {
  const auto derived = hmac_sha256_hex(key_, "inkan mac|" + std::string(purpose));
  return hmac_sha256_hex(Bytes(derived.begin(), derived.end()), message);
}

std::string DataKey::open(const Sealed& sealed, std::string_view context) const {
  Botan::secure_vector<std::uint8_t> out;
  if (!gcm_open(key_, sealed, context, out))
    throw Error(ErrorCode::Integrity, "a sealed secret failed its integrity check");
  return std::string(out.begin(), out.end());
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return Botan::constant_time_compare(reinterpret_cast<const std::uint8_t*>(a.data()),
                                      reinterpret_cast<const std::uint8_t*>(b.data()), a.size());
}

}  // namespace inkan::crypto
