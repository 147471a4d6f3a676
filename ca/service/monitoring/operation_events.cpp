#include "ca/service/monitoring/operation_events.hpp"

#include <atomic>

namespace inkan::service {
namespace {
std::atomic<OperationEvents*> g_sink{nullptr};
}  // namespace

std::string_view to_string(Operation op) {
  switch (op) {
    case Operation::Issuance: return "issuance";
    case Operation::Renewal: return "renewal";
    case Operation::Reissue: return "reissue";
    case Operation::Revocation: return "revocation";
  }
  return "unknown";
}

std::string_view to_string(OperationResult result) {
  switch (result) {
    case OperationResult::Success: return "success";
    case OperationResult::Refused: return "refused";
    case OperationResult::Failed: return "error";
  }
  return "unknown";
}

void set_operation_events(OperationEvents* sink) noexcept { g_sink.store(sink, std::memory_order_release); }

void record_operation(Operation op, OperationResult result) noexcept {
  if (auto* sink = g_sink.load(std::memory_order_acquire)) sink->record(op, result);
}

OperationResult result_of(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::InvalidArgument:
    case ErrorCode::NotFound:
    case ErrorCode::AlreadyExists:
    case ErrorCode::InvalidCsr:
    case ErrorCode::PolicyViolation:
    case ErrorCode::InvalidState:
    case ErrorCode::Conflict:
    case ErrorCode::WrongPassphrase: return OperationResult::Refused;
    default: return OperationResult::Failed;
  }
}

}  // namespace inkan::service
