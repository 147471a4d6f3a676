#pragma once
// `inkan passphrase change` (issue 18): the operator passphrase protects the data key (wrapped
// under a PBKDF2 key-encryption key) and, directly, every private key the store holds: the CA
// keys, a pending issuing-CA key and the appliance's server key (PKCS#8 PBES2, so OpenSSL can
// read them: design.md §4). Changing it re-wraps the data key and re-encrypts each of those keys,
// all in one transaction: after a crash exactly one of the two passphrases works.
#include <string_view>

#include "ca/crypto/rng.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct PassphraseChangeResult {
  int ca_keys = 0;          // CA keys re-encrypted (an offline root's key is not in the store)
  bool pending_key = false;  // a pending issuing-CA key (rollover waiting for the offline root)
  bool server_key = false;   // the appliance's server key
};

// At least 8 characters, like `init`. Error(InvalidArgument) otherwise.
void check_new_passphrase(std::string_view current, std::string_view replacement);

// `current` is unlocked with the passphrase in use. The slow part (PBKDF2 for each key) runs
// before the write lock is taken; the transaction then checks that no key changed meanwhile
// (Error(Conflict) if one did, e.g. a concurrent rollover) and writes everything at once.
PassphraseChangeResult change_passphrase(Store& store, const Keyring& current, std::string_view replacement,
                                         crypto::Rng& rng, const Clock& clock, const Actor& actor);

}  // namespace inkan::service
