#pragma once
// A PKCS#11 module loaded with dlopen and initialised once per process (CKF_OS_LOCKING_OK: the
// server's threads sign at once, each on its own session). Internal to ca/crypto/pkcs11: the one
// header that includes p11-kit's pkcs11.h (tests/layering/check_layers.py keeps it so).
#include <p11-kit/pkcs11.h>

#include <memory>
#include <string>

namespace inkan::crypto::pkcs11 {

class Module {
 public:
  // The module at `path`, loaded and initialised on first use and kept for the life of the
  // process (C_Initialize may be called once per process). Error(NotFound) when the file is
  // missing, Error(InvalidArgument) when it is not a PKCS#11 module, Error(Crypto) when its
  // C_Initialize fails.
  static std::shared_ptr<Module> load(const std::string& path);

  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  CK_FUNCTION_LIST* fn() const { return fn_; }
  const std::string& path() const { return path_; }

 private:
  Module(std::string path, void* handle, CK_FUNCTION_LIST* fn) : path_(std::move(path)), handle_(handle), fn_(fn) {}
  std::string path_;
  void* handle_;
  CK_FUNCTION_LIST* fn_;
};

// "CKR_PIN_INCORRECT" and the like, for messages.
std::string rv_name(CK_RV rv);
// The results that mean the token (or our session on it) went away: the session is dropped and
// the next signature opens a new one.
bool token_unreachable(CK_RV rv);

// Throws Error(Crypto) "PKCS#11 <what> failed: <rv name>" unless rv is CKR_OK.
void check(CK_RV rv, const char* what);

}  // namespace inkan::crypto::pkcs11
