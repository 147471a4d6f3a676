#include "ca/crypto/pkcs11/token_connection.hpp"

#include <algorithm>
#include <cstring>

#include "ca/domain/error.hpp"

namespace inkan::crypto::pkcs11 {
namespace {

// A token field: fixed width, blank padded (PKCS#11 §3.2, CK_TOKEN_INFO).
std::string trimmed(const unsigned char* field, std::size_t width) {
  std::string s(reinterpret_cast<const char*>(field), width);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

bool token_matches(const Pkcs11Uri& uri, const CK_TOKEN_INFO& info) {
  if (uri.token && trimmed(info.label, sizeof info.label) != *uri.token) return false;
  if (uri.serial && trimmed(info.serialNumber, sizeof info.serialNumber) != *uri.serial) return false;
  if (uri.manufacturer && trimmed(info.manufacturerID, sizeof info.manufacturerID) != *uri.manufacturer) return false;
  if (uri.model && trimmed(info.model, sizeof info.model) != *uri.model) return false;
  return true;
}

Bytes attribute(CK_FUNCTION_LIST* fn, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE a{type, nullptr, 0};
  CK_RV rv = fn->C_GetAttributeValue(s, o, &a, 1);
  if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) return {};
  Bytes out(a.ulValueLen);
  a.pValue = out.data();
  if (fn->C_GetAttributeValue(s, o, &a, 1) != CKR_OK) return {};
  out.resize(a.ulValueLen);
  return out;
}

// DER OIDs of the curves we issue with (CKA_EC_PARAMS).
const Bytes kP256 = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
const Bytes kP384 = {0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22};

}  // namespace

TokenConnection::TokenConnection(std::shared_ptr<Module> module, Pkcs11Uri uri, SecretString pin)
    : module_(std::move(module)), fn_(module_->fn()), uri_(std::move(uri)), pin_(std::move(pin)) {
  std::lock_guard lock(mutex_);
  connect_locked();
}

TokenConnection::~TokenConnection() {
  std::lock_guard lock(mutex_);
  for (auto s : idle_) fn_->C_CloseSession(s);
}

void TokenConnection::connect_locked() {
  CK_ULONG count = 0;
  check(fn_->C_GetSlotList(CK_TRUE, nullptr, &count), "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(count);
  if (count) check(fn_->C_GetSlotList(CK_TRUE, slots.data(), &count), "C_GetSlotList");
  slots.resize(count);
  std::vector<std::string> seen;
  std::optional<CK_SLOT_ID> found;
  for (auto slot : slots) {
    CK_TOKEN_INFO info{};
    if (fn_->C_GetTokenInfo(slot, &info) != CKR_OK) continue;
    seen.push_back("'" + trimmed(info.label, sizeof info.label) + "'");
    if (!token_matches(uri_, info)) continue;
    if (found)
      throw Error(ErrorCode::InvalidArgument, "more than one token matches " + uri_.describe() + ": add serial= to the URI");
    found = slot;
  }
  if (!found) {
    std::string present;
    for (const auto& s : seen) present += (present.empty() ? "" : ", ") + s;
    throw Error(ErrorCode::NotFound, "no token matches " + uri_.describe() + " in PKCS#11 module " + module_->path() +
                                         " (tokens present: " + (present.empty() ? "none" : present) + ")");
  }
  slot_ = *found;
  connected_ = true;
  key_ = CK_INVALID_HANDLE;
  idle_.push_back(open_session_locked(false));  // logs in: a wrong PIN is reported here
}

CK_SESSION_HANDLE TokenConnection::open_session_locked(bool read_write) {
  CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
  CK_FLAGS flags = CKF_SERIAL_SESSION | (read_write ? CKF_RW_SESSION : 0);
  CK_RV rv = fn_->C_OpenSession(slot_, flags, nullptr, nullptr, &s);
  if (rv != CKR_OK) {
    connected_ = false;
    throw Error(ErrorCode::Crypto, "the token " + describe() + " is not reachable: C_OpenSession failed: " + rv_name(rv));
  }
  // Login is per application and token: a session opened while another is logged in is logged
  // in too. When the last session closed, the token went back to public sessions.
  CK_SESSION_INFO info{};
  if (fn_->C_GetSessionInfo(s, &info) == CKR_OK &&
      (info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS))
    return s;
  std::string pin(pin_.view());
  rv = fn_->C_Login(s, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()), pin.size());
  wipe(pin);
  if (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN) return s;
  fn_->C_CloseSession(s);
  if (rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LEN_RANGE)
    throw Error(ErrorCode::WrongPassphrase, "wrong PIN for " + uri_.describe() + ": the token refused it");
  if (rv == CKR_PIN_LOCKED)
    throw Error(ErrorCode::InvalidState, "the PIN of " + uri_.describe() + " is locked: unlock it with the SO PIN");
  connected_ = false;
  throw Error(ErrorCode::Crypto, "login to " + describe() + " failed: " + rv_name(rv));
}

std::vector<CK_OBJECT_HANDLE> TokenConnection::find(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls) {
  std::vector<CK_ATTRIBUTE> tmpl;
  tmpl.push_back({CKA_CLASS, &cls, sizeof cls});
  std::string label = uri_.object.value_or("");
  Bytes id = uri_.id.value_or(Bytes{});
  if (uri_.object) tmpl.push_back({CKA_LABEL, label.data(), label.size()});
  if (uri_.id) tmpl.push_back({CKA_ID, id.data(), id.size()});
  check(fn_->C_FindObjectsInit(s, tmpl.data(), tmpl.size()), "C_FindObjectsInit");
  std::vector<CK_OBJECT_HANDLE> out(8);
  CK_ULONG n = 0;
  CK_RV rv = fn_->C_FindObjects(s, out.data(), out.size(), &n);
  fn_->C_FindObjectsFinal(s);
  check(rv, "C_FindObjects");
  out.resize(n);
  return out;
}

CK_OBJECT_HANDLE TokenConnection::private_key_locked(CK_SESSION_HANDLE s) {
  if (key_ != CK_INVALID_HANDLE) return key_;
  auto keys = find(s, CKO_PRIVATE_KEY);
  if (keys.empty())
    throw Error(ErrorCode::NotFound, "no private key matches " + uri_.describe() + " on that token");
  if (keys.size() > 1)
    throw Error(ErrorCode::InvalidArgument, "more than one private key matches " + uri_.describe() + ": add id= to the URI");
  key_ = keys.front();
  return key_;
}

TokenConnection::Lease TokenConnection::lease(bool need_key) {
  std::lock_guard lock(mutex_);
  if (!connected_) connect_locked();
  Lease l{CK_INVALID_HANDLE, generation_};
  if (!idle_.empty()) {
    l.session = idle_.back();
    idle_.pop_back();
  } else {
    l.session = open_session_locked(false);
  }
  try {
    if (need_key) private_key_locked(l.session);
  } catch (...) {
    idle_.push_back(l.session);
    throw;
  }
  return l;
}

void TokenConnection::give_back(const Lease& l) {
  std::lock_guard lock(mutex_);
  if (l.generation == generation_ && connected_) idle_.push_back(l.session);
}

void TokenConnection::drop_all(std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation != generation_) return;  // another thread dropped them already
  ++generation_;
  fn_->C_CloseAllSessions(slot_);  // may fail when the token is gone: nothing left to close then
  idle_.clear();
  connected_ = false;
  key_ = CK_INVALID_HANDLE;
}

void TokenConnection::unreachable(CK_RV rv, const char* what, std::uint64_t generation) {
  drop_all(generation);
  throw Error(ErrorCode::Crypto, "the token " + describe() + " went away (" + what + ": " + rv_name(rv) +
                                     "): the signature failed; the next one opens a new session");
}

bool TokenConnection::has_private_key() {
  auto l = lease(false);
  bool found = !find(l.session, CKO_PRIVATE_KEY).empty();
  give_back(l);
  return found;
}

PublicKeyParts TokenConnection::public_key() {
  auto l = lease(true);
  PublicKeyParts parts;
  try {
    // The public object when there is one (EC private keys need not carry the point), else the
    // private key's own public attributes (an RSA private key always has n and e).
    auto publics = find(l.session, CKO_PUBLIC_KEY);
    CK_OBJECT_HANDLE from = publics.size() == 1 ? publics.front() : key_;
    auto type = attribute(fn_, l.session, key_, CKA_KEY_TYPE);
    if (type.size() != sizeof(CK_KEY_TYPE)) throw Error(ErrorCode::Crypto, "the token did not give the key's type");
    std::memcpy(&parts.type, type.data(), sizeof parts.type);
    if (parts.type == CKK_EC) {
      parts.ec_params = attribute(fn_, l.session, from, CKA_EC_PARAMS);
      parts.ec_point = attribute(fn_, l.session, from, CKA_EC_POINT);
      if (parts.ec_point.empty())
        throw Error(ErrorCode::NotFound, "no public key object matches " + uri_.describe() +
                                             ": the EC point of the key cannot be read");
    } else if (parts.type == CKK_RSA) {
      parts.modulus = attribute(fn_, l.session, from, CKA_MODULUS);
      parts.exponent = attribute(fn_, l.session, from, CKA_PUBLIC_EXPONENT);
      if (parts.modulus.empty() || parts.exponent.empty())
        throw Error(ErrorCode::Crypto, "the token did not give the RSA key's modulus and exponent");
    } else {
      throw Error(ErrorCode::PolicyViolation, "the key " + uri_.describe() + " is neither RSA nor EC");
    }
  } catch (...) {
    give_back(l);
    throw;
  }
  give_back(l);
  return parts;
}

void TokenConnection::generate(KeyType type, const Bytes& fallback_id) {
  std::lock_guard lock(mutex_);
  if (!connected_) connect_locked();
  CK_SESSION_HANDLE s = open_session_locked(true);
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  std::string label = uri_.object.value_or("");
  Bytes id = uri_.id.value_or(fallback_id);
  CK_ULONG bits = 0;
  Bytes ec_params;
  CK_BYTE exponent[] = {0x01, 0x00, 0x01};
  CK_MECHANISM mech{CKM_RSA_PKCS_KEY_PAIR_GEN, nullptr, 0};
  switch (type) {
    case KeyType::Rsa2048: bits = 2048; break;
    case KeyType::Rsa3072: bits = 3072; break;
    case KeyType::Rsa4096: bits = 4096; break;
    case KeyType::EcP256: ec_params = kP256; mech.mechanism = CKM_EC_KEY_PAIR_GEN; break;
    case KeyType::EcP384: ec_params = kP384; mech.mechanism = CKM_EC_KEY_PAIR_GEN; break;
  }
  std::vector<CK_ATTRIBUTE> pub = {{CKA_TOKEN, &yes, sizeof yes}, {CKA_VERIFY, &yes, sizeof yes},
                                   {CKA_ID, id.data(), id.size()}};
  std::vector<CK_ATTRIBUTE> priv = {{CKA_TOKEN, &yes, sizeof yes},     {CKA_PRIVATE, &yes, sizeof yes},
                                    {CKA_SENSITIVE, &yes, sizeof yes}, {CKA_EXTRACTABLE, &no, sizeof no},
                                    {CKA_SIGN, &yes, sizeof yes},      {CKA_ID, id.data(), id.size()}};
  if (!label.empty()) {
    pub.push_back({CKA_LABEL, label.data(), label.size()});
    priv.push_back({CKA_LABEL, label.data(), label.size()});
  }
  if (bits) {
    pub.push_back({CKA_MODULUS_BITS, &bits, sizeof bits});
    pub.push_back({CKA_PUBLIC_EXPONENT, exponent, sizeof exponent});
  } else {
    pub.push_back({CKA_EC_PARAMS, ec_params.data(), ec_params.size()});
  }
  CK_OBJECT_HANDLE pub_handle = 0, priv_handle = 0;
  CK_RV rv = fn_->C_GenerateKeyPair(s, &mech, pub.data(), pub.size(), priv.data(), priv.size(), &pub_handle,
                                    &priv_handle);
  idle_.push_back(s);
  if (rv != CKR_OK)
    throw Error(ErrorCode::Crypto, "generating the key pair " + uri_.describe() + " on the token failed: " + rv_name(rv));
  key_ = priv_handle;
}

Bytes TokenConnection::sign(CK_MECHANISM_TYPE mechanism, const Bytes& data, std::size_t max_length) {
  auto l = lease(true);
  CK_MECHANISM mech{mechanism, nullptr, 0};
  CK_OBJECT_HANDLE key;
  {
    std::lock_guard lock(mutex_);
    key = key_;
  }
  CK_RV rv = fn_->C_SignInit(l.session, &mech, key);
  if (rv != CKR_OK) {
    if (token_unreachable(rv)) unreachable(rv, "C_SignInit", l.generation);
    give_back(l);
    throw Error(ErrorCode::Crypto, "the token " + describe() + " refused to sign: C_SignInit: " + rv_name(rv));
  }
  Bytes out(max_length);
  CK_ULONG n = out.size();
  rv = fn_->C_Sign(l.session, const_cast<CK_BYTE*>(data.data()), data.size(), out.data(), &n);
  if (rv != CKR_OK) {
    if (token_unreachable(rv)) unreachable(rv, "C_Sign", l.generation);
    // A session whose signature failed may keep the operation active: close it, not reuse it.
    fn_->C_CloseSession(l.session);
    throw Error(ErrorCode::Crypto, "the token " + describe() + " failed to sign: C_Sign: " + rv_name(rv));
  }
  give_back(l);
  out.resize(n);
  return out;
}

}  // namespace inkan::crypto::pkcs11
