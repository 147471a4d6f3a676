// A test-only PKCS#11 module that forwards every call to SoftHSM2 and can play a token pulled out
// mid-run: the tests' stand-in for a USB token removed during a batch (issue 21, faults).
//
//   INKAN_P11_FAULT_TARGET  the real module (default /usr/lib/softhsm/libsofthsm2.so)
//   INKAN_P11_FAULT_FILE    while this file exists and holds a number N, the token is "gone"
//                           once this process has made N signatures: C_Sign answers
//                           CKR_DEVICE_REMOVED and C_OpenSession CKR_TOKEN_NOT_PRESENT. Remove
//                           the file and the token is back.
// Only C_GetFunctionList is exported; the list handed out is SoftHSM's with three entries swapped.
#include <p11-kit/pkcs11.h>
#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace {

CK_FUNCTION_LIST* real = nullptr;
CK_FUNCTION_LIST wrapped;
std::atomic<long> signatures{0};

bool token_gone() {
  const char* path = std::getenv("INKAN_P11_FAULT_FILE");
  if (!path) return false;
  FILE* f = std::fopen(path, "r");
  if (!f) return false;
  long allowed = 0;
  if (std::fscanf(f, "%ld", &allowed) != 1) allowed = 0;
  std::fclose(f);
  return signatures.load() >= allowed;
}

CK_RV fault_sign(CK_SESSION_HANDLE s, CK_BYTE_PTR data, CK_ULONG len, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len) {
  if (token_gone()) return CKR_DEVICE_REMOVED;
  CK_RV rv = real->C_Sign(s, data, len, sig, sig_len);
  if (rv == CKR_OK && sig) ++signatures;
  return rv;
}

CK_RV fault_sign_init(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  if (token_gone()) return CKR_DEVICE_REMOVED;
  return real->C_SignInit(s, m, k);
}

CK_RV fault_open_session(CK_SLOT_ID slot, CK_FLAGS flags, void* app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR s) {
  if (token_gone()) return CKR_TOKEN_NOT_PRESENT;
  return real->C_OpenSession(slot, flags, app, notify, s);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (!list) return CKR_ARGUMENTS_BAD;
  if (!real) {
    const char* target = std::getenv("INKAN_P11_FAULT_TARGET");
    void* h = ::dlopen(target ? target : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) return CKR_GENERAL_ERROR;
    auto get = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(h, "C_GetFunctionList"));
    if (!get || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
    wrapped = *real;
    wrapped.C_Sign = fault_sign;
    wrapped.C_SignInit = fault_sign_init;
    wrapped.C_OpenSession = fault_open_session;
  }
  *list = &wrapped;
  return CKR_OK;
}
