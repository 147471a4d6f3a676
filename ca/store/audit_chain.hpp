#pragma once
// The audit log's hash chain, apart from SQL so its definition is in one readable place, and
// shared by both store backends (ca/store/sqlite, ca/store/postgresql): the same rows hash the
// same on either.
#include <cstdint>
#include <optional>
#include <string>

#include "ca/domain/records.hpp"

namespace inkan {

// prev_hash of the first entry.
inline const std::string kGenesisHash(64, '0');

// Lowercase hex SHA-256 over
//   prev_hash \n seq \n at (unix seconds) \n actor \n action \n object \n detail
std::string audit_hash(const AuditEvent& e);

// AuditLog::verify's walk over the entries in seq order: each must follow the one before
// (seq + 1), link to its hash, and hash to its own stored hash.
class AuditChainWalk {
 public:
  struct Break {
    std::int64_t seq;
    std::string problem;
  };
  // The next entry; the first break found, if this entry breaks the chain.
  std::optional<Break> next(const AuditEvent& e);
  std::int64_t entries() const { return entries_; }

 private:
  std::int64_t entries_ = 0;
  std::int64_t expected_seq_ = 1;
  std::string expected_prev_ = kGenesisHash;
};

}  // namespace inkan
