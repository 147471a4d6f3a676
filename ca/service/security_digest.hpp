#pragma once
// The keyed digest of the security tables (issue 14 item 5; ca/store/store.hpp, SecurityTables):
// HMAC-SHA-256 of each table's rows under a key derived from the data key, so only someone who can
// unlock the store can make one that matches.
#include <string>
#include <vector>

#include "ca/crypto/secrets/sealing.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// From now on every transaction of `store` that changes a security table rewrites its digest.
// Called wherever the data key is unlocked (Keyring) or a store is opened beside it (serve).
void install_security_sealer(Store& store, const crypto::DataKey& key);

struct SecurityTableCheck {
  std::string table;
  enum class Result { Matches, Differs, NeverSealed } result = Result::Matches;
};

// Each table's digest recomputed and compared (in constant time) with the stored one.
std::vector<SecurityTableCheck> check_security_tables(Store& store, const crypto::DataKey& key);

}  // namespace inkan::service
