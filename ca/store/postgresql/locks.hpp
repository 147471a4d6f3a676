#pragma once
// The advisory lock keys of inkan's PostgreSQL schema. Fixed numbers: every node must use the
// same ones. (0x696e6b616e = "inkan".)
#include <cstdint>

namespace inkan::pg {

// Taken by every write transaction (pg_advisory_xact_lock, released at COMMIT or ROLLBACK): the
// writers of all nodes run one at a time, exactly like SQLite's BEGIN IMMEDIATE. See
// transaction.hpp for why.
inline constexpr std::int64_t kWriterLock = 0x696e6b616e01;
// Held by `inkan store migrate` for the whole migration (pg_advisory_lock, session-scoped), so
// two nodes upgrading at once apply each migration once.
inline constexpr std::int64_t kMigrationLock = 0x696e6b616e02;

}  // namespace inkan::pg
