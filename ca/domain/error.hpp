#pragma once
// One error type for the whole core, carrying a code (Botan's mistakes.rst: no deep hierarchy).
// Front ends map ErrorCode to exit statuses / HTTP statuses in one table each.
#include <stdexcept>
#include <string>
#include <string_view>

namespace inkan {

enum class ErrorCode {
  InvalidArgument,   // malformed user input (names the field)
  NotFound,          // tenant, certificate, CA ... does not exist
  AlreadyExists,     // duplicate id
  WrongPassphrase,   // the operator passphrase does not unlock the store
  InvalidCsr,        // CSR malformed or its signature does not verify
  PolicyViolation,   // request conflicts with the CA's rules (validity beyond CA, ...)
  InvalidState,      // object is in a state that forbids the action (revoked, not initialised)
  Io,                // file system problem
  Store,             // database problem
  Integrity,         // corruption detected (audit chain, checksum)
  Crypto,            // unexpected failure in a crypto library
  Conflict,          // another request changed the object first (a lost race); retry or re-read
};

std::string_view to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace inkan
