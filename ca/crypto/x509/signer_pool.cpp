#include "ca/crypto/x509/signer_pool.hpp"

#include <botan/system_rng.h>
#include <botan/x509_ca.h>

#include "ca/crypto/x509/key.hpp"
#include "ca/crypto/x509/openssl_rsa_key.hpp"

namespace inkan::crypto {

namespace {
std::string hash_for(KeyType t) { return t == KeyType::EcP384 ? "SHA-384" : "SHA-256"; }
}  // namespace

SignerPool::SignerPool(const PrivateKey& key, RsaEngine rsa) : key_(key), hash_(hash_for(key.type())) {
  if (is_rsa(key.type()) && !key.held_by_token() && rsa == RsaEngine::OpenSsl)
    openssl_key_ = openssl_rsa_signing_key(key.botan());
}

const Botan::Private_Key& SignerPool::signing_key() const { return openssl_key_ ? *openssl_key_ : key_.botan(); }

SignatureEngine SignerPool::engine() const {
  if (key_.held_by_token()) return SignatureEngine::Token;
  return signs_with_openssl(signing_key()) ? SignatureEngine::OpenSsl : SignatureEngine::Botan;
}

std::size_t SignerPool::signers_built() const {
  std::lock_guard lock(mutex_);
  return built_;
}

std::unique_ptr<SignerPool::Signer> SignerPool::lease() const {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
    ++built_;
  }
  return build();  // outside the lock: the set-up is the expensive part
}

void SignerPool::give_back(std::unique_ptr<Signer> signer) const {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(signer));
}

std::unique_ptr<SignerPool::Signer> SignerPool::build() const {
  auto s = std::make_unique<Signer>();
  // The RNG given here stays with the signer (RSA's blinder re-randomises from it every 64
  // signatures), so it must live as long as the pool: Botan's process-wide system RNG, which is
  // thread-safe. It only blinds; the randomness a signature needs comes with each call.
  // The same choice of padding and format as X509_CA makes (EMSA3 for RSA, DER for ECDSA).
  s->signer.reset(Botan::choose_sig_format(signing_key(), Botan::system_rng(), hash_, s->algorithm));
  return s;
}

}  // namespace inkan::crypto
