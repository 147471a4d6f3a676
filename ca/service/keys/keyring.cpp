#include "ca/service/keys/keyring.hpp"

#include <string.h>  // explicit_bzero

#include "ca/crypto/pkcs11/token_key.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/settings_keys.hpp"
#include "ca/service/hex.hpp"
#include "ca/service/security_digest.hpp"

namespace inkan::service {
namespace {

crypto::KdfParams load_kdf(Store& store) {
  auto& s = store.settings();
  auto salt = s.get(settings_keys::kKdfSalt);
  auto iter = s.get(settings_keys::kKdfIterations);
  if (!salt || !iter)
    throw Error(ErrorCode::InvalidState, "this data directory is not initialised: run `inkan init` first");
  crypto::KdfParams p;
  p.salt = hex_decode(*salt);
  p.iterations = static_cast<std::uint32_t>(std::stoul(*iter));
  return p;
}

}  // namespace

Keyring::Keyring(std::string_view passphrase, crypto::DataKey key)
    : masked_passphrase_(passphrase.begin(), passphrase.end()), pad_(passphrase.size()), data_key_(std::move(key)) {
  // The mask is not a decision anything depends on, so it takes the system RNG directly rather
  // than an injected one (a deterministic test RNG would make it predictable, to no benefit).
  crypto::Rng::system()->fill(pad_);
  for (std::size_t i = 0; i < pad_.size(); ++i) masked_passphrase_[i] ^= pad_[i];
}
Keyring::Keyring(Keyring&&) noexcept = default;
Keyring::~Keyring() {
  // A moved-from Keyring has empty vectors, whose data() may be null: not for explicit_bzero.
  for (auto* v : {&masked_passphrase_, &pad_})
    if (!v->empty()) ::explicit_bzero(v->data(), v->size());
}

crypto::SecretString Keyring::passphrase(Store& store) const {
  require_current(store);
  return plain_passphrase();
}

void Keyring::require_current(Store& store) const {
  if (store.settings().get(settings_keys::kDataKeyWrapped).value_or("") != wrapped_hex_)
    throw Error(ErrorCode::InvalidState,
                "the passphrase was changed after this process unlocked the data directory: "
                "restart it with the new passphrase");
}

Keyring Keyring::with_passphrase(std::string_view new_passphrase) const {
  Keyring out(new_passphrase, data_key_);
  out.wrapped_hex_ = wrapped_hex_;
  return out;
}

void Keyring::unlock_all_cas(Store& store) {
  for (const auto& rec : store.cas().list())
    if (!rec.encrypted_key_pem.empty() || rec.token_key) ca(store, rec.id);
}

crypto::SecretString Keyring::plain_passphrase() const {
  std::string plain(masked_passphrase_.size(), '\0');
  for (std::size_t i = 0; i < plain.size(); ++i)
    plain[i] = static_cast<char>(masked_passphrase_[i] ^ pad_[i]);
  return crypto::SecretString(std::move(plain));
}

Keyring Keyring::unlock(Store& store, std::string_view passphrase) {
  auto kdf = load_kdf(store);
  auto& s = store.settings();
  crypto::Sealed wrapped{hex_decode(s.get(settings_keys::kDataKeyNonce).value_or("")),
                         hex_decode(s.get(settings_keys::kDataKeyWrapped).value_or(""))};
  Keyring k(passphrase, crypto::DataKey::unwrap(wrapped, passphrase, kdf));
  k.wrapped_hex_ = s.get(settings_keys::kDataKeyWrapped).value_or("");
  install_security_sealer(store, k.data_key_);  // this store's changes keep their digests current
  return k;
}

Keyring Keyring::create(std::string_view passphrase, crypto::Rng& rng) {
  return Keyring(passphrase, crypto::DataKey::generate(rng));
}

void Keyring::store_wrapped(Store& store, crypto::Rng& rng) {
  auto kdf = crypto::DataKey::new_kdf_params(rng);
  auto wrapped = data_key_.wrap(plain_passphrase(), kdf, rng);
  auto& s = store.settings();
  s.put(settings_keys::kKdfSalt, hex_encode(kdf.salt));
  s.put(settings_keys::kKdfIterations, std::to_string(kdf.iterations));
  s.put(settings_keys::kDataKeyNonce, hex_encode(wrapped.nonce));
  s.put(settings_keys::kDataKeyWrapped, hex_encode(wrapped.ciphertext));
  wrapped_hex_ = hex_encode(wrapped.ciphertext);
  install_security_sealer(store, data_key_);
}

const crypto::SigningCa& Keyring::issuing_ca(Store& store) {
  auto rec = store.cas().active_issuing();
  if (!rec) throw Error(ErrorCode::InvalidState, "no active issuing CA: run `inkan init` first");
  return ca(store, rec->id);
}

const crypto::SigningCa& Keyring::ca(Store& store, std::int64_t ca_id) {
  // Held while a key is decrypted (PBKDF2), so concurrent first uses decrypt it once. Map nodes
  // never move, so the reference stays valid after unlocking.
  std::lock_guard lock(*cas_mutex_);
  if (auto it = cas_.find(ca_id); it != cas_.end()) return *it->second;
  auto rec = store.cas().find(ca_id);
  if (!rec) throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(ca_id));
  if (rec->encrypted_key_pem.empty() && !rec->token_key)
    throw Error(ErrorCode::InvalidState, "the key of CA '" + rec->subject + "' is not held in this data directory");
  auto key = rec->token_key ? open_token_key(*rec->token_key, token_pin_)
                            : crypto::PrivateKey::from_encrypted_pem(rec->encrypted_key_pem, passphrase(store));
  auto ca = std::make_unique<crypto::SigningCa>(rec->cert_der, std::move(key));
  return *cas_.emplace(ca_id, std::move(ca)).first->second;
}

crypto::PrivateKey open_token_key(const TokenKeyRef& ref, const Keyring::TokenPinSource& pin) {
  if (!pin)
    throw Error(ErrorCode::InvalidState, "the CA key is on a PKCS#11 token (" + ref.uri + ") and no PIN source is set");
  return crypto::open_token_key(ref, pin(ref));
}

bool Keyring::holds(std::int64_t ca_id) const {
  std::lock_guard lock(*cas_mutex_);
  return cas_.count(ca_id) != 0;
}

}  // namespace inkan::service
