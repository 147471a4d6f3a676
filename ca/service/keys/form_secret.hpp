#pragma once
// The secret behind the CSRF tokens of the forms that have no session yet: the portal's renewal
// form and the management site's login form (a token is HMAC(secret, what the form is for)).
//
// One secret per installation, in the settings table sealed under the data key, so a form one
// `inkan serve` node served is accepted by any other node on the same database (issue 22 item 3:
// a load balancer needs no stickiness). It is rotated every kFormSecretRotation; the one it
// replaced is still accepted for kFormSecretGrace, so a form open across a rotation still works.
// A running node learns a rotation made by another node when a token does not match what it
// holds (App reloads once) and at its maintenance round.
#include <chrono>
#include <optional>
#include <string>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/secrets/sealing.hpp"
#include "ca/domain/records.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

inline constexpr std::chrono::days kFormSecretRotation{30};
inline constexpr std::chrono::hours kFormSecretGrace{24};

struct FormSecrets {
  Bytes current;  // 32 random octets
  Timestamp current_since{};
  std::optional<Bytes> previous;  // accepted until current_since + kFormSecretGrace
  std::string stored;             // the stored values these were read from, to tell a change

  // Whether `previous` is still accepted at `now`.
  bool previous_accepted(Timestamp now) const { return previous && now < current_since + kFormSecretGrace; }
};

class FormSecretStore {
 public:
  FormSecretStore(Store& store, const crypto::DataKey& data_key, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), data_key_(data_key), clock_(clock), rng_(rng), actor_(std::move(actor)) {}

  // The stored secrets; made first on an installation that has none, rotated first when the
  // current one is older than kFormSecretRotation. Both inside a write transaction that reads
  // them again, so one node makes or rotates them and the others load that. Audited
  // ("form_secret.create", "form_secret.rotate"); the secret itself never leaves the process.
  FormSecrets ensure();
  // What is stored now, without writing; nullopt when nothing is. Error(Integrity) when a stored
  // value does not open under the data key (altered, or copied from another installation).
  std::optional<FormSecrets> load() const;

 private:
  Store& store_;
  const crypto::DataKey& data_key_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
};

}  // namespace inkan::service
