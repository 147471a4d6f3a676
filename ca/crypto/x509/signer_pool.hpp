#pragma once
// A CA key's signers, built once and reused (issue 17). Building a Botan PK_Signer is not free:
// for RSA its blinder computes a modular inverse mod n and a Barrett reducer, which for RSA-3072
// cost more than the signature itself (design.md §6). A PK_Signer is not thread-safe, so each
// thread that signs at a moment holds one of its own: a thread leases a signer, signs and gives it
// back; the pool builds one more only when every signer it has is leased out. So the pool holds as
// many signers as threads ever signed at once with this key, and no more.
//
// The signers belong to the key (SigningCa holds the pool next to its PrivateKey) rather than to
// the thread: they die with the key, so no signer outlives a rollover, a Keyring, or the key's
// secret values (the blinder and the key's precomputations live in Botan's wiped allocations).
//
// An RSA key in memory signs with OpenSSL (openssl_rsa_key.hpp, issue 17): the pool converts it
// once into an OpenSSL key, which its signers share, and which dies with the pool.
// Internal to ca/crypto: it names Botan types.
#include <botan/asn1_obj.h>
#include <botan/pubkey.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ca/crypto/x509/signature_engine.hpp"

namespace inkan::crypto {

class PrivateKey;

class SignerPool {
 public:
  struct Signer {
    std::unique_ptr<Botan::PK_Signer> signer;
    Botan::AlgorithmIdentifier algorithm;  // the signatureAlgorithm this signer produces
  };

  // `key` must outlive the pool: Botan's signature operations refer to it. `rsa` chooses who
  // signs for an RSA key in memory (ECDSA keys sign with Botan, token keys on their token).
  explicit SignerPool(const PrivateKey& key, RsaEngine rsa = RsaEngine::OpenSsl);
  SignerPool(const SignerPool&) = delete;
  SignerPool& operator=(const SignerPool&) = delete;

  // Calls `sign(Signer&)` with a signer no other thread holds meanwhile, and returns what it
  // returns. A signer whose call threw is dropped, not reused: its hash state may hold part of a
  // message.
  template <class F>
  auto with_signer(F&& sign) const {
    auto leased = lease();
    auto result = sign(*leased);
    give_back(std::move(leased));
    return result;
  }

  // How many signers were built so far: 1 after any number of signatures from one thread.
  std::size_t signers_built() const;

  // Who computes the signatures, read from the key the signers are built on.
  SignatureEngine engine() const;

 private:
  std::unique_ptr<Signer> lease() const;
  void give_back(std::unique_ptr<Signer> signer) const;
  std::unique_ptr<Signer> build() const;

  const Botan::Private_Key& signing_key() const;

  const PrivateKey& key_;
  std::unique_ptr<Botan::Private_Key> openssl_key_;  // for an RSA key in memory, unless rsa == Botan
  std::string hash_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<Signer>> idle_;
  mutable std::size_t built_ = 0;
};

}  // namespace inkan::crypto
