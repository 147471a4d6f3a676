#pragma once
// `inkan init`: a self-signed root and an issuing CA signed by it, keys encrypted at rest.
#include <filesystem>
#include <optional>
#include <string>

#include "ca/crypto/rng.hpp"
#include "ca/domain/enums.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct InitOptions {
  std::string name;
  KeyType root_key = KeyType::Rsa4096;
  KeyType issuing_key = KeyType::Rsa3072;
  std::optional<std::string> crl_url;
  std::optional<std::string> ocsp_url;  // authorityInfoAccess of every client certificate
  // When set, the root key is written (encrypted) only to this file, never to the data directory.
  std::optional<std::filesystem::path> offline_root;
  // PKCS#11 (issue 21): a CA key on a token instead of in the data directory, generated there
  // when the token holds none under that URI; its PIN from `token_pin`.
  std::optional<TokenKeyRef> root_token;
  std::optional<TokenKeyRef> issuing_token;
  Keyring::TokenPinSource token_pin;
  Validity root_validity = policy::kDefaultRootValidity;
  Validity issuing_validity = policy::kDefaultIssuingValidity;
};

struct InitResult {
  CaRecord root;
  CaRecord issuing;
};

bool is_initialised(Store& store);
// The checks initialise_ca starts with, for front ends to run before creating anything.
void validate_init(std::string_view passphrase, const InitOptions& options);

// Throws Error(AlreadyExists) if the store already holds a CA; nothing is written then.
InitResult initialise_ca(Store& store, const Clock& clock, crypto::Rng& rng, std::string_view passphrase,
                         const InitOptions& options, const Actor& actor);

}  // namespace inkan::service
