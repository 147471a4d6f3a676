#pragma once
// An RSA private key whose signatures OpenSSL 3 computes, for Botan's X.509 code (issue 17).
// Botan's PK_Signer and X509_CA ask the key for its signature operation; this key answers with
// one that hashes with Botan and signs the digest with OpenSSL's EVP (PKCS#1 v1.5, the DigestInfo
// of the hash Botan names): the same signatureAlgorithm and, PKCS#1 v1.5 being deterministic, the
// same signature octets as Botan's own RSA key, in about half its CPU. It imitates the token keys
// of ca/crypto/pkcs11/token_key.cpp. Internal to ca/crypto: it names Botan types.
#include <memory>

namespace Botan { class Private_Key; }

namespace inkan::crypto {

// Builds the OpenSSL key once from `rsa` (a Botan RSA private key in memory), through its PKCS#8
// DER in wiped memory; OpenSSL clears the key's private numbers when the returned key dies. The
// returned key signs only: it refuses to export its private part. Throws Error(Crypto) when
// OpenSSL cannot read the key.
std::unique_ptr<Botan::Private_Key> openssl_rsa_signing_key(const Botan::Private_Key& rsa);

// True for the keys openssl_rsa_signing_key makes: how a signer pool reports its engine from the
// key it actually signs with.
bool signs_with_openssl(const Botan::Private_Key& key);

}  // namespace inkan::crypto
