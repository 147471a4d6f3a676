#include "ca/domain/error.hpp"

namespace inkan {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::AlreadyExists: return "already-exists";
    case ErrorCode::WrongPassphrase: return "wrong-passphrase";
    case ErrorCode::InvalidCsr: return "invalid-csr";
    case ErrorCode::PolicyViolation: return "policy-violation";
    case ErrorCode::InvalidState: return "invalid-state";
    case ErrorCode::Io: return "io";
    case ErrorCode::Store: return "store";
    case ErrorCode::Integrity: return "integrity";
    case ErrorCode::Crypto: return "crypto";
    case ErrorCode::Conflict: return "conflict";
  }
  return "unknown";
}

}  // namespace inkan
