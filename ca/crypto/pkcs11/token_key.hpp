#pragma once
// CA keys held in a PKCS#11 token (issue 21). Debian's Botan 2 has no PKCS#11 module, so a token
// key is our own Botan private key whose signature operation calls the module's C_Sign
// (token_signature.cpp); X509_CA, CSRs and CRLs use it like any other key. No key byte leaves
// the token: PrivateKey::to_encrypted_pem and to_pkcs8_der refuse a token key.
#include "ca/crypto/pkcs11/pkcs11_uri.hpp"
#include "ca/crypto/secrets/secret_string.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/records.hpp"

namespace inkan::crypto {

class Rng;

// The key `ref` names, logged in with `pin`. Error(NotFound) for a missing module, token or
// key; WrongPassphrase for a wrong PIN; InvalidArgument for a bad URI or a file that is not a
// PKCS#11 module; PolicyViolation for a key type we do not sign with.
PrivateKey open_token_key(const TokenKeyRef& ref, SecretString pin);

struct OpenedTokenKey {
  PrivateKey key;
  bool generated = false;  // false: the key was already on the token
};

// `inkan init`, rollover, `ca csr`: the key `ref` names, generated on the token when it holds none
// (both halves labelled with the URI's object, CKA_TOKEN, the private half sensitive and not
// extractable). A key already there must be of `type` (PolicyViolation otherwise).
OpenedTokenKey open_or_generate_token_key(const TokenKeyRef& ref, KeyType type, SecretString pin, Rng& rng);

}  // namespace inkan::crypto
