#pragma once
// Loading many issued certificates at once, for benchmarks (inkan-bench seeds 1,000,000 rows
// with it). inkan itself never uses it: issuance goes through reserve, sign, commit (design.md
// §7). One prepared INSERT, a transaction per chunk and one fsync per chunk, not per row.
#include <cstdint>
#include <filesystem>
#include <functional>

#include "ca/domain/records.hpp"

namespace inkan {

// Fills the record and returns true, or returns false when there are no more rows.
using CertificateSource = std::function<bool(CertificateRecord&)>;

// Inserts issued rows (state active, superseded or revoked, with their DER and SHA-256) into
// the database at `db_file`, migrated first. The rows carry no credential. Lineage pointers
// are stored as given; foreign keys are enforced. Returns the number of rows inserted.
std::int64_t bulk_load_certificates(const std::filesystem::path& db_file, const CertificateSource& next);

// Fills at, actor, action, object, detail and tenant_id (stored as given: the benchmark's
// objects need not exist), or returns false when there are no more.
using AuditSource = std::function<bool(AuditEvent&)>;

// Appends entries to the audit log, chained exactly as AuditLog::append chains them (seq,
// prev_hash, hash), in transactions of 100,000. Returns the number appended.
std::int64_t bulk_load_audit(const std::filesystem::path& db_file, const AuditSource& next);

}  // namespace inkan
