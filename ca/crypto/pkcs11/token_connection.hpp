#pragma once
// The connection to one CA key on one token: the slot found by the URI, the login with the PIN,
// the key's object handle and a pool of sessions, one per thread signing at that moment.
// Internal to ca/crypto/pkcs11 (it names PKCS#11 types).
//
// Recovery: when a call reports the token gone (pkcs11::token_unreachable: removed, session
// invalid, not logged in...) every session is dropped and the signature fails with
// Error(Crypto); the next signature finds the token again, opens a session and logs in again
// with the PIN, which is therefore held (wiped on destruction) for the life of the key.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ca/crypto/pkcs11/pkcs11_module.hpp"
#include "ca/crypto/pkcs11/pkcs11_uri.hpp"
#include "ca/crypto/secrets/secret_string.hpp"
#include "ca/domain/enums.hpp"
#include "ca/domain/records.hpp"

namespace inkan::crypto::pkcs11 {

struct PublicKeyParts {
  CK_KEY_TYPE type = CKK_RSA;
  Bytes ec_params;  // DER OID of the curve
  Bytes ec_point;   // DER OCTET STRING of the uncompressed point (or the bare point)
  Bytes modulus;
  Bytes exponent;
};

class TokenConnection {
 public:
  // Finds the token and logs in. Error(NotFound) for a token not present, WrongPassphrase for a
  // PIN the token refuses, InvalidState for a locked PIN.
  TokenConnection(std::shared_ptr<Module> module, Pkcs11Uri uri, SecretString pin);
  TokenConnection(const TokenConnection&) = delete;
  TokenConnection& operator=(const TokenConnection&) = delete;
  ~TokenConnection();

  bool has_private_key();
  // The public half; Error(NotFound) when the token holds no such key.
  PublicKeyParts public_key();
  // A key pair on the token (CKA_TOKEN), both objects labelled with the URI's object and given
  // its id (or `fallback_id`); the private half sensitive and not extractable.
  void generate(KeyType type, const Bytes& fallback_id);
  // Signs `data` with `mechanism` (CKM_ECDSA over a hash, CKM_RSA_PKCS over a DigestInfo).
  Bytes sign(CK_MECHANISM_TYPE mechanism, const Bytes& data, std::size_t max_length);

  std::string describe() const { return uri_.describe() + " (module " + module_->path() + ")"; }

 private:
  struct Lease {
    CK_SESSION_HANDLE session = 0;
    std::uint64_t generation = 0;
  };
  Lease lease(bool need_key);
  void give_back(const Lease& lease);
  void drop_all(std::uint64_t generation);
  void connect_locked();
  CK_SESSION_HANDLE open_session_locked(bool read_write);
  std::vector<CK_OBJECT_HANDLE> find(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls);
  CK_OBJECT_HANDLE private_key_locked(CK_SESSION_HANDLE s);
  [[noreturn]] void unreachable(CK_RV rv, const char* what, std::uint64_t generation);

  std::shared_ptr<Module> module_;
  CK_FUNCTION_LIST* fn_;
  Pkcs11Uri uri_;
  SecretString pin_;

  std::mutex mutex_;
  bool connected_ = false;
  std::uint64_t generation_ = 0;  // bumped whenever the sessions are dropped
  CK_SLOT_ID slot_ = 0;
  CK_OBJECT_HANDLE key_ = CK_INVALID_HANDLE;
  std::vector<CK_SESSION_HANDLE> idle_;
};

}  // namespace inkan::crypto::pkcs11
