#include "ca/crypto/x509/key.hpp"
#include "ca/crypto/secrets/secret_string.hpp"

#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/x509_key.h>
#include <botan/data_src.h>

#include "ca/crypto/rng.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {

KeyType classify(const Botan::Public_Key& key) {
  if (key.algo_name() == "RSA") {
    switch (key.key_length()) {
      case 2048: return KeyType::Rsa2048;
      case 3072: return KeyType::Rsa3072;
      case 4096: return KeyType::Rsa4096;
      default: break;
    }
    throw Error(ErrorCode::PolicyViolation,
                "RSA key of " + std::to_string(key.key_length()) + " bits: allowed are 2048, 3072, 4096");
  }
  if (key.algo_name() == "ECDSA") {
    const auto& ec = dynamic_cast<const Botan::EC_PublicKey&>(key);
    auto oid = ec.domain().get_curve_oid().to_formatted_string();
    if (oid == "secp256r1") return KeyType::EcP256;
    if (oid == "secp384r1") return KeyType::EcP384;
    throw Error(ErrorCode::PolicyViolation, "EC curve " + oid + ": allowed are P-256 and P-384");
  }
  throw Error(ErrorCode::PolicyViolation, "key algorithm " + key.algo_name() + " is not allowed: use RSA or ECDSA");
}

}  // namespace

PrivateKey::PrivateKey(std::unique_ptr<Botan::Private_Key> key, KeyType type, bool on_token)
    : key_(std::move(key)), type_(type), on_token_(on_token) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

PrivateKey PrivateKey::generate(KeyType type, Rng& rng) {
  auto& r = rng.botan();
  switch (type) {
    case KeyType::Rsa2048: return {std::make_unique<Botan::RSA_PrivateKey>(r, 2048), type};
    case KeyType::Rsa3072: return {std::make_unique<Botan::RSA_PrivateKey>(r, 3072), type};
    case KeyType::Rsa4096: return {std::make_unique<Botan::RSA_PrivateKey>(r, 4096), type};
    case KeyType::EcP256:
      return {std::make_unique<Botan::ECDSA_PrivateKey>(r, Botan::EC_Group("secp256r1")), type};
    case KeyType::EcP384:
      return {std::make_unique<Botan::ECDSA_PrivateKey>(r, Botan::EC_Group("secp384r1")), type};
  }
  throw Error(ErrorCode::InvalidArgument, "unknown key type");
}

PrivateKey PrivateKey::from_encrypted_pem(std::string_view pem, std::string_view passphrase) {
  try {
    Botan::DataSource_Memory src{std::string(pem)};
    const SecretString pass{std::string(passphrase)};  // wiped after use, even when short (SSO)
    auto key = Botan::PKCS8::load_key(src, pass.str());
    auto type = classify(*key);
    return {std::move(key), type};
  } catch (const Error&) {
    throw;
  } catch (const std::exception&) {
    // Botan reports a wrong passphrase as a decoding failure; the caller names what was unlocked.
    throw Error(ErrorCode::WrongPassphrase, "wrong passphrase");
  }
}

PrivateKey PrivateKey::from_pkcs8_der(const Bytes& der) {
  try {
    Botan::DataSource_Memory src(der);
    auto key = Botan::PKCS8::load_key(src);
    auto type = classify(*key);
    return {std::move(key), type};
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::InvalidArgument, std::string("unreadable private key: ") + e.what());
  }
}

PrivateKey PrivateKey::from_token(std::unique_ptr<Botan::Private_Key> key) {
  auto type = classify(*key);
  return {std::move(key), type, true};
}

void PrivateKey::refuse_export_from_token() const {
  if (on_token_) throw Error(ErrorCode::InvalidState, "the key is held by a PKCS#11 token: it cannot be exported");
}

std::string PrivateKey::to_encrypted_pem(std::string_view passphrase, Rng& rng,
                                         std::size_t iterations) const {
  refuse_export_from_token();
  return Botan::PKCS8::PEM_encode_encrypted_pbkdf_iter(*key_, rng.botan(), SecretString(std::string(passphrase)).str(),
                                                       iterations, "AES-256/CBC", "SHA-256");
}

Bytes PrivateKey::to_pkcs8_der() const {
  refuse_export_from_token();
  auto der = Botan::PKCS8::BER_encode(*key_);
  return Bytes(der.begin(), der.end());
}

Bytes PrivateKey::public_key_der() const { return Botan::X509::BER_encode(*key_); }

KeyType key_type_of_public_key(const Bytes& spki_der) {
  std::unique_ptr<Botan::Public_Key> key;
  try {
    key.reset(Botan::X509::load_key(spki_der));
  } catch (const std::exception& e) {
    throw Error(ErrorCode::InvalidArgument, std::string("unreadable public key: ") + e.what());
  }
  return classify(*key);
}

}  // namespace inkan::crypto
