#include "web/http/error_status.hpp"

namespace inkan::web {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::InvalidCsr: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::AlreadyExists: return 409;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::InvalidState: return 409;
    case ErrorCode::PolicyViolation: return 403;
    case ErrorCode::WrongPassphrase: return 500;  // the passphrase was checked at start
    case ErrorCode::Store: return 503;            // busy or unavailable database: retry
    case ErrorCode::Io: return 500;
    case ErrorCode::Integrity: return 500;
    case ErrorCode::Crypto: return 500;
  }
  return 500;
}

std::string_view error_slug(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::InvalidCsr: return "invalid_csr";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::AlreadyExists: return "already_exists";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::InvalidState: return "invalid_state";
    case ErrorCode::PolicyViolation: return "policy_violation";
    case ErrorCode::WrongPassphrase: return "internal";
    case ErrorCode::Store: return "unavailable";
    case ErrorCode::Io: return "internal";
    case ErrorCode::Integrity: return "internal";
    case ErrorCode::Crypto: return "internal";
  }
  return "internal";
}

}  // namespace inkan::web
