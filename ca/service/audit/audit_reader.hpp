#pragma once
// Reading the audit log (issue 18): filtered pages for `inkan audit` and the 操作履歴 tab, the
// chain head an operator writes down, and the proof that the log still contains that head.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/serial.hpp"
#include "ca/service/admin/tenant_scope.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct AuditFilter {
  std::optional<Timestamp> since, until;
  std::optional<std::string> tenant_id;
  std::optional<Serial> serial;
  std::optional<std::string> actor, action;
  std::optional<std::int64_t> before_seq;  // the page after the one that ended at this entry
  std::size_t limit = 100;                 // 1-1000
};

struct AuditPage {
  std::vector<AuditEvent> entries;
  std::optional<std::int64_t> next_before;  // pass as before_seq for the next page; nullopt: no more
};

struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;  // lowercase hex
};

// "SEQ:HASH" as `inkan audit head` prints it. Error(InvalidArgument) otherwise.
AuditHead parse_audit_head(std::string_view text);
std::string format_audit_head(const AuditHead& head);

// What the entry's action came to. The log records what happened, so almost every entry is a
// success; an account lock is the refusal it records.
std::string_view audit_result(std::string_view action);

struct HeadCheck {
  bool ok = false;
  AuditVerification chain;  // the whole log, recomputed from the genesis hash
  std::string problem;      // empty when ok
};

class AuditReader {
 public:
  AuditReader(Store& store, TenantScope scope) : store_(store), scope_(std::move(scope)) {}

  // One page, newest first. A tenant administrator sees only their own tenant's entries (a
  // filter naming another tenant is NotFound, like everything out of scope).
  AuditPage page(const AuditFilter& filter) const;
  std::optional<AuditHead> head() const;
  // True when the whole chain verifies and entry `expected.seq` still has `expected.hash`: every
  // entry up to it is then unchanged, since its hash covers them all through prev_hash.
  HeadCheck verify_head(const AuditHead& expected) const;

 private:
  Store& store_;
  TenantScope scope_;
};

}  // namespace inkan::service
