#include "ca/crypto/pkcs11/token_key.hpp"

#include <botan/ber_dec.h>
#include <botan/bigint.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/hash.h>
#include <botan/hash_id.h>
#include <botan/pk_ops.h>
#include <botan/rsa.h>

#include "ca/crypto/pkcs11/token_connection.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {

using pkcs11::TokenConnection;

enum class Scheme { Ecdsa, RsaPkcs1 };

// "EMSA1(SHA-256)" -> "SHA-256": the padding Botan's choose_sig_format asks for.
std::string hash_of_padding(const std::string& padding, Scheme scheme) {
  auto open = padding.find('('), close = padding.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open)
    throw Error(ErrorCode::Crypto, "token key: unsupported signature padding " + padding);
  auto emsa = padding.substr(0, open);
  bool ok = scheme == Scheme::Ecdsa ? emsa == "EMSA1" : (emsa == "EMSA3" || emsa == "EMSA_PKCS1" || emsa == "PKCS1v15");
  if (!ok) throw Error(ErrorCode::Crypto, "token key: unsupported signature padding " + padding);
  return padding.substr(open + 1, close - open - 1);
}

// Hashes here, signs the hash on the token: CKM_ECDSA returns r||s (Botan's PK_Signer DER-encodes
// it, as for its own ECDSA keys); CKM_RSA_PKCS pads a DigestInfo we build. Hashing on the host
// means one round trip per signature and works with tokens that lack CKM_SHA384_RSA_PKCS.
class TokenSignature final : public Botan::PK_Ops::Signature {
 public:
  TokenSignature(std::shared_ptr<TokenConnection> token, Scheme scheme, const std::string& hash,
                 std::size_t length)
      : token_(std::move(token)), scheme_(scheme), hash_(Botan::HashFunction::create_or_throw(hash)),
        length_(length) {
    if (scheme_ == Scheme::RsaPkcs1) prefix_ = Botan::pkcs_hash_id(hash);
  }
  void update(const uint8_t msg[], size_t len) override { hash_->update(msg, len); }
  Botan::secure_vector<uint8_t> sign(Botan::RandomNumberGenerator&) override {
    auto digest = hash_->final();
    Bytes data(prefix_);
    data.insert(data.end(), digest.begin(), digest.end());
    auto sig = token_->sign(scheme_ == Scheme::Ecdsa ? CKM_ECDSA : CKM_RSA_PKCS, data, length_);
    if (scheme_ == Scheme::Ecdsa && sig.size() != length_)
      throw Error(ErrorCode::Crypto, "the token's ECDSA signature has " + std::to_string(sig.size()) +
                                         " bytes, not r||s of " + std::to_string(length_));
    return Botan::secure_vector<uint8_t>(sig.begin(), sig.end());
  }
  size_t signature_length() const override { return length_; }

 private:
  std::shared_ptr<TokenConnection> token_;
  Scheme scheme_;
  std::unique_ptr<Botan::HashFunction> hash_;
  std::vector<uint8_t> prefix_;
  std::size_t length_;
};

// The virtual base EC_PublicKey is built here, by the most derived class: otherwise Botan builds
// it with its default constructor and reports "EC_Group uninitialized" (design.md §9).
class TokenEcdsaKey final : public Botan::ECDSA_PublicKey, public Botan::Private_Key {
 public:
  TokenEcdsaKey(const Botan::EC_Group& group, const Botan::PointGFp& point, std::shared_ptr<TokenConnection> token)
      : Botan::EC_PublicKey(group, point), Botan::ECDSA_PublicKey(group, point), token_(std::move(token)) {}
  Botan::secure_vector<uint8_t> private_key_bits() const override {
    throw Error(ErrorCode::InvalidState, "the key is held by a PKCS#11 token: it cannot be exported");
  }
  std::unique_ptr<Botan::PK_Ops::Signature> create_signature_op(Botan::RandomNumberGenerator&,
                                                                const std::string& params,
                                                                const std::string&) const override {
    return std::make_unique<TokenSignature>(token_, Scheme::Ecdsa, hash_of_padding(params, Scheme::Ecdsa),
                                            2 * domain().get_order_bytes());
  }

 private:
  std::shared_ptr<TokenConnection> token_;
};

class TokenRsaKey final : public Botan::RSA_PublicKey, public Botan::Private_Key {
 public:
  TokenRsaKey(const Botan::BigInt& n, const Botan::BigInt& e, std::shared_ptr<TokenConnection> token)
      : Botan::RSA_PublicKey(n, e), token_(std::move(token)) {}
  Botan::secure_vector<uint8_t> private_key_bits() const override {
    throw Error(ErrorCode::InvalidState, "the key is held by a PKCS#11 token: it cannot be exported");
  }
  std::unique_ptr<Botan::PK_Ops::Signature> create_signature_op(Botan::RandomNumberGenerator&,
                                                                const std::string& params,
                                                                const std::string&) const override {
    return std::make_unique<TokenSignature>(token_, Scheme::RsaPkcs1, hash_of_padding(params, Scheme::RsaPkcs1),
                                            get_n().bytes());
  }

 private:
  std::shared_ptr<TokenConnection> token_;
};

// CKA_EC_POINT is a DER OCTET STRING holding the point; a few tokens give the bare point.
Bytes unwrap_point(const Bytes& value) {
  try {
    Bytes inner;
    Botan::BER_Decoder(value).decode(inner, Botan::OCTET_STRING).verify_end();
    return inner;
  } catch (const std::exception&) {
    return value;
  }
}

std::unique_ptr<Botan::Private_Key> botan_key(const std::shared_ptr<TokenConnection>& token) {
  auto parts = token->public_key();
  try {
    if (parts.type == CKK_EC) {
      Botan::OID oid;
      Botan::BER_Decoder(parts.ec_params).decode(oid).verify_end();
      Botan::EC_Group group(oid);
      auto point = group.OS2ECP(unwrap_point(parts.ec_point));
      return std::make_unique<TokenEcdsaKey>(group, point, token);
    }
    return std::make_unique<TokenRsaKey>(Botan::BigInt(parts.modulus), Botan::BigInt(parts.exponent), token);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::PolicyViolation, "the public key of " + token->describe() + " is not one inkan signs with: " + e.what());
  }
}

std::shared_ptr<TokenConnection> connect(const TokenKeyRef& ref, SecretString pin) {
  auto uri = Pkcs11Uri::parse(ref.uri);
  auto module = pkcs11::Module::load(ref.module_path);
  return std::make_shared<TokenConnection>(std::move(module), std::move(uri), std::move(pin));
}

}  // namespace

PrivateKey open_token_key(const TokenKeyRef& ref, SecretString pin) {
  auto token = connect(ref, std::move(pin));
  return PrivateKey::from_token(botan_key(token));
}

OpenedTokenKey open_or_generate_token_key(const TokenKeyRef& ref, KeyType type, SecretString pin, Rng& rng) {
  auto token = connect(ref, std::move(pin));
  bool generated = false;
  if (!token->has_private_key()) {
    Bytes id(16);
    rng.fill(id);
    token->generate(type, id);
    generated = true;
  }
  auto key = PrivateKey::from_token(botan_key(token));
  if (key.type() != type)
    throw Error(ErrorCode::PolicyViolation, "the token already holds " + Pkcs11Uri::parse(ref.uri).describe() + ", a " +
                                                std::string(to_string(key.type())) + " key, not " +
                                                std::string(to_string(type)) + ": name another object or pass that key type");
  return {std::move(key), generated};
}

}  // namespace inkan::crypto
