#include "ca/service/keys/passphrase_change.hpp"

#include <optional>
#include <string>
#include <vector>

#include "ca/crypto/secrets/sealing.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/keys/server_certificate.hpp"

namespace inkan::service {
namespace {

struct Reencrypted {
  std::string before, after;
};

std::string reencrypt(const std::string& pem, std::string_view from, std::string_view to, crypto::Rng& rng) {
  return crypto::PrivateKey::from_encrypted_pem(pem, from).to_encrypted_pem(to, rng);
}

}  // namespace

void check_new_passphrase(std::string_view current, std::string_view replacement) {
  if (replacement.size() < 8)
    throw Error(ErrorCode::InvalidArgument, "the new passphrase must have at least 8 characters");
  if (crypto::constant_time_equal(current, replacement))
    throw Error(ErrorCode::InvalidArgument, "the new passphrase is the current one");
}

PassphraseChangeResult change_passphrase(Store& store, const Keyring& current, std::string_view replacement,
                                         crypto::Rng& rng, const Clock& clock, const Actor& actor) {
  const auto old_pass = current.passphrase(store);  // InvalidState if another change came first
  check_new_passphrase(old_pass.view(), replacement);

  // Outside the write lock: decrypt and re-encrypt every key under the new passphrase.
  std::vector<std::pair<std::int64_t, Reencrypted>> cas;
  for (const auto& rec : store.cas().list())
    if (!rec.encrypted_key_pem.empty())
      cas.push_back({rec.id, {rec.encrypted_key_pem, reencrypt(rec.encrypted_key_pem, old_pass.view(), replacement, rng)}});
  auto pending = store.cas().pending_issuing();
  std::optional<Reencrypted> pending_key;
  if (pending && !pending->token_key) pending_key = Reencrypted{pending->encrypted_key_pem, reencrypt(pending->encrypted_key_pem, old_pass.view(), replacement, rng)};
  std::optional<Reencrypted> server_key;
  if (auto pem = store.settings().get(settings_keys::kServerKeyPem))
    server_key = Reencrypted{*pem, reencrypt(*pem, old_pass.view(), replacement, rng)};
  auto next = current.with_passphrase(replacement);

  const auto changed = [] {
    return Error(ErrorCode::Conflict, "a key changed while the passphrase was being changed (a CA rollover or a "
                                      "new server certificate?): nothing was changed; run the command again");
  };
  auto tx = store.begin();
  current.require_current(store);  // a concurrent passphrase change would be lost otherwise
  PassphraseChangeResult out;
  for (const auto& [id, key] : cas) {
    if (!store.cas().replace_encrypted_key(id, key.before, key.after)) throw changed();
    ++out.ca_keys;
  }
  // No CA may have gained a key meanwhile (one left under the old passphrase would be lost).
  int held = 0;
  for (const auto& rec : store.cas().list()) held += rec.encrypted_key_pem.empty() ? 0 : 1;
  if (held != out.ca_keys) throw changed();
  auto pending_now = store.cas().pending_issuing();
  if (pending_now && pending_now->token_key) pending_now.reset();  // nothing encrypted to change
  if (pending_now.has_value() != pending_key.has_value() ||
      (pending_now && pending_now->encrypted_key_pem != pending_key->before))
    throw changed();
  if (pending_now) {
    pending_now->encrypted_key_pem = pending_key->after;
    store.cas().put_pending_issuing(*pending_now);
    out.pending_key = true;
  }
  auto server_now = store.settings().get(settings_keys::kServerKeyPem);
  if (server_now.has_value() != server_key.has_value() || (server_now && *server_now != server_key->before))
    throw changed();
  if (server_now) {
    store.settings().put(settings_keys::kServerKeyPem, server_key->after);
    out.server_key = true;
  }
  next.store_wrapped(store, rng);  // a new salt and nonce too
  record(store, clock, actor, "passphrase.change", "store",
         "ca_keys=" + std::to_string(out.ca_keys) + " pending_key=" + (out.pending_key ? "yes" : "no") +
             " server_key=" + (out.server_key ? "yes" : "no"));
  tx->commit();
  return out;
}

}  // namespace inkan::service
