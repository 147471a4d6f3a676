#pragma once
// The one table from core error codes to process exit statuses (docs/cli.md lists it).
#include "ca/domain/error.hpp"

namespace inkan::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUnhealthy = 1;  // doctor found a problem
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 70;  // a bug: an exception the core did not classify (EX_SOFTWARE)

inline int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return kExitUsage;
    case ErrorCode::NotFound: return 3;
    case ErrorCode::AlreadyExists: return 4;
    case ErrorCode::WrongPassphrase: return 5;
    case ErrorCode::InvalidCsr: return 6;
    case ErrorCode::PolicyViolation: return 7;
    case ErrorCode::InvalidState: return 8;
    case ErrorCode::Io: return 9;
    case ErrorCode::Store: return 10;
    case ErrorCode::Integrity: return 11;
    case ErrorCode::Crypto: return 12;
    case ErrorCode::Conflict: return 13;
  }
  return 1;
}

}  // namespace inkan::cli

namespace inkan::cli {
// Thrown by a command that finished its work but must end with a non-zero status (doctor).
struct ExitStatus {
  int code;
};
}  // namespace inkan::cli
