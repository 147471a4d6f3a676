#pragma once
// Domain events the service layer reports as they finish: issuances, renewals, reissues and
// revocations by result. `inkan serve` installs a sink that counts them for its Prometheus
// metrics (web/monitoring/); without a sink (every other command) nothing is recorded. The
// service knows nothing of Prometheus or HTTP: only this interface.
#include <exception>
#include <utility>

#include "ca/domain/error.hpp"

namespace inkan::service {

enum class Operation { Issuance, Renewal, Reissue, Revocation };
inline constexpr int kOperationCount = 4;

// Refused: the request broke a rule (bad input, wrong state, not found, a lost race). Failed:
// the appliance could not do it (database, files, cryptography).
enum class OperationResult { Success, Refused, Failed };
inline constexpr int kOperationResultCount = 3;

std::string_view to_string(Operation op);
std::string_view to_string(OperationResult result);

class OperationEvents {
 public:
  virtual ~OperationEvents() = default;
  virtual void record(Operation op, OperationResult result) noexcept = 0;
};

// Process-wide, set once before serving (a relaxed atomic pointer: nothing is locked).
void set_operation_events(OperationEvents* sink) noexcept;
void record_operation(Operation op, OperationResult result) noexcept;

OperationResult result_of(ErrorCode code) noexcept;

// Runs f() and records its outcome; exceptions pass through unchanged.
template <class F>
decltype(auto) observed(Operation op, F&& f) {
  try {
    decltype(auto) out = std::forward<F>(f)();
    record_operation(op, OperationResult::Success);
    return out;
  } catch (const Error& e) {
    record_operation(op, result_of(e.code()));
    throw;
  } catch (...) {
    record_operation(op, OperationResult::Failed);
    throw;
  }
}

}  // namespace inkan::service
