#pragma once
// PKCS#12 through OpenSSL 3 (Botan 2 has none). The only OpenSSL code in ca/. design.md §5.
#include <string>
#include <vector>

#include "ca/domain/enums.hpp"
#include "ca/domain/records.hpp"

namespace inkan::crypto {

struct Pkcs12Input {
  Bytes private_key_pkcs8_der;  // unencrypted PKCS#8 PrivateKeyInfo (RSA or EC)
  Bytes cert_der;               // the leaf
  std::vector<Bytes> chain_der; // issuing CA first, then the root (optional)
  std::string friendly_name;    // UTF-8; written as a BMPString
  std::string password;         // printable ASCII only (Java and node-forge reject others)
  P12Profile profile = P12Profile::Compat;
  // Parse the leaf and check that the key is its key (Error(InvalidArgument) otherwise). Issuance
  // turns it off: it has just signed cert_der over this very key's public key, and OpenSSL 3's
  // provider decoders that the check needs cost a third of a whole ec-p256 credential.
  bool check_key_matches_cert = true;
};

// compat: pbeWithSHAAnd3-KeyTripleDES-CBC for key and certs, HMAC-SHA1 MAC.
// modern: PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC for key and certs, HMAC-SHA256 MAC.
// Both: 2048 iterations, localKeyID (SHA-1 of the leaf DER) on the key bag and the leaf only.
// Throws Error(InvalidArgument) for a non-ASCII password, Error(Crypto) on OpenSSL failure.
Bytes build_pkcs12(const Pkcs12Input& in);

struct Pkcs12Contents {
  Bytes private_key_pkcs8_der;
  Bytes cert_der;
  std::vector<Bytes> chain_der;  // as stored in the file
  std::string friendly_name;
};

// Parses and verifies the MAC. Throws Error(WrongPassphrase) for a wrong password,
// Error(InvalidArgument) for a malformed file.
Pkcs12Contents parse_pkcs12(const Bytes& p12, const std::string& password);

}  // namespace inkan::crypto
