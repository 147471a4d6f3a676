#pragma once
// The audit log's hash chain, apart from SQL so its definition is in one readable place.
#include <string>

#include "ca/domain/records.hpp"

namespace inkan::sqlite {

// prev_hash of the first entry.
inline const std::string kGenesisHash(64, '0');

// Lowercase hex SHA-256 over
//   prev_hash \n seq \n at (unix seconds) \n actor \n action \n object \n detail
std::string audit_hash(const AuditEvent& e);

}  // namespace inkan::sqlite
