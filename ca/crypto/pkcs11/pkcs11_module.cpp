#include "ca/crypto/pkcs11/pkcs11_module.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <map>
#include <mutex>

#include "ca/domain/error.hpp"

namespace inkan::crypto::pkcs11 {

std::shared_ptr<Module> Module::load(const std::string& path) {
  static std::mutex mutex;
  // Never finalised nor unloaded: C_Initialize is once per process, a module finalised while a
  // key still refers to it would crash the next signature, and at exit the module's own static
  // destructors (registered when it was loaded, so run before ours) may already have run:
  // SoftHSM2 crashed in a C_Finalize from here. The map is leaked on purpose.
  static auto& loaded = *new std::map<std::string, std::shared_ptr<Module>>;
  std::lock_guard lock(mutex);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;

  struct stat st {};
  if (path.empty() || path.front() != '/')
    throw Error(ErrorCode::InvalidArgument, "--pkcs11-module must be an absolute path, e.g. /usr/lib/softhsm/libsofthsm2.so");
  if (::stat(path.c_str(), &st) != 0)
    throw Error(ErrorCode::NotFound, "PKCS#11 module " + path + " does not exist");
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    throw Error(ErrorCode::InvalidArgument, "cannot load PKCS#11 module " + path + ": " + (why ? why : "dlopen failed"));
  }
  auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
  CK_FUNCTION_LIST* fn = nullptr;
  if (!get_list || get_list(&fn) != CKR_OK || !fn) {
    ::dlclose(handle);
    throw Error(ErrorCode::InvalidArgument, path + " is not a PKCS#11 module (no C_GetFunctionList)");
  }
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  CK_RV rv = fn->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    ::dlclose(handle);
    throw Error(ErrorCode::Crypto, "PKCS#11 module " + path + ": C_Initialize failed: " + rv_name(rv));
  }
  std::shared_ptr<Module> module(new Module(path, handle, fn));
  loaded.emplace(path, module);
  return module;
}

std::string rv_name(CK_RV rv) {
  switch (rv) {
#define INKAN_RV(x) \
  case x: return #x;
    INKAN_RV(CKR_OK)
    INKAN_RV(CKR_GENERAL_ERROR)
    INKAN_RV(CKR_HOST_MEMORY)
    INKAN_RV(CKR_SLOT_ID_INVALID)
    INKAN_RV(CKR_ARGUMENTS_BAD)
    INKAN_RV(CKR_ATTRIBUTE_TYPE_INVALID)
    INKAN_RV(CKR_ATTRIBUTE_VALUE_INVALID)
    INKAN_RV(CKR_DEVICE_ERROR)
    INKAN_RV(CKR_DEVICE_MEMORY)
    INKAN_RV(CKR_DEVICE_REMOVED)
    INKAN_RV(CKR_FUNCTION_FAILED)
    INKAN_RV(CKR_KEY_HANDLE_INVALID)
    INKAN_RV(CKR_KEY_TYPE_INCONSISTENT)
    INKAN_RV(CKR_MECHANISM_INVALID)
    INKAN_RV(CKR_MECHANISM_PARAM_INVALID)
    INKAN_RV(CKR_OBJECT_HANDLE_INVALID)
    INKAN_RV(CKR_OPERATION_ACTIVE)
    INKAN_RV(CKR_OPERATION_NOT_INITIALIZED)
    INKAN_RV(CKR_PIN_INCORRECT)
    INKAN_RV(CKR_PIN_LOCKED)
    INKAN_RV(CKR_PIN_EXPIRED)
    INKAN_RV(CKR_SESSION_CLOSED)
    INKAN_RV(CKR_SESSION_HANDLE_INVALID)
    INKAN_RV(CKR_SESSION_READ_ONLY)
    INKAN_RV(CKR_TEMPLATE_INCOMPLETE)
    INKAN_RV(CKR_TEMPLATE_INCONSISTENT)
    INKAN_RV(CKR_TOKEN_NOT_PRESENT)
    INKAN_RV(CKR_TOKEN_NOT_RECOGNIZED)
    INKAN_RV(CKR_TOKEN_WRITE_PROTECTED)
    INKAN_RV(CKR_USER_ALREADY_LOGGED_IN)
    INKAN_RV(CKR_USER_NOT_LOGGED_IN)
    INKAN_RV(CKR_USER_PIN_NOT_INITIALIZED)
    INKAN_RV(CKR_BUFFER_TOO_SMALL)
    INKAN_RV(CKR_CRYPTOKI_NOT_INITIALIZED)
    INKAN_RV(CKR_CRYPTOKI_ALREADY_INITIALIZED)
#undef INKAN_RV
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "CKR 0x%lx", static_cast<unsigned long>(rv));
      return buf;
    }
  }
}

bool token_unreachable(CK_RV rv) {
  switch (rv) {
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_DEVICE_REMOVED:
    case CKR_DEVICE_ERROR:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_TOKEN_NOT_RECOGNIZED:
    case CKR_USER_NOT_LOGGED_IN:
    case CKR_KEY_HANDLE_INVALID:
    case CKR_OBJECT_HANDLE_INVALID:
    case CKR_CRYPTOKI_NOT_INITIALIZED:
      return true;
    default:
      return false;
  }
}

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw Error(ErrorCode::Crypto, std::string("PKCS#11 ") + what + " failed: " + rv_name(rv));
}

}  // namespace inkan::crypto::pkcs11
