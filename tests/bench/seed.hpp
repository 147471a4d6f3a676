#pragma once
// Synthetic certificate rows for the store and cold-start benchmarks, loaded through the
// store's bulk path (ca/store/sqlite/bulk_load.hpp). Every row is distinct (serial, SHA-256,
// CN); each carries the DER of one real certificate of the directory, since no query under
// test reads the DER. The mix, in tenth parts by row number: 1 revoked, 1 superseded (linked to
// the next row, its successor), the rest active; notBefore spread over the last 3.5 years, so
// about one in seven is expired and a few percent expire within 30 days. Tenants t00..t19 in
// turn; one row in 50 is a tenant-admin certificate.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ca/domain/time.hpp"

namespace inkan::bench {

inline constexpr int kSeedTenants = 20;
std::vector<std::string> seed_tenant_ids();  // t00..t19

struct SeedResult {
  std::int64_t rows = 0;
  std::int64_t revoked = 0;
  double seconds = 0;
};

// The directory must be initialised, with the seed tenants, and hold at least one issued
// certificate (its DER is reused).
SeedResult seed_certificates(const std::filesystem::path& db_file, std::int64_t rows, Timestamp now);

class TempDir;
class InkanDir;

// A seeded benchmark's data directory: `kept` when given (created if missing, so that the next run
// with the same --data skips the seeding), else a temporary one removed at the end.
class BenchRoot {
 public:
  BenchRoot(const std::filesystem::path& kept, const std::string& temp_prefix);
  ~BenchRoot();
  const std::filesystem::path& path() const { return root_; }

 private:
  std::unique_ptr<TempDir> tmp_;
  std::filesystem::path root_;
};

// Unless `dir` already holds a database: `inkan init` with these CA keys and the seed tenants, one
// real certificate in t00 (its DER is reused), then `rows` rows. Prints one line either way.
void seed_once(const InkanDir& dir, const std::string& root_key, const std::string& issuing_key, std::int64_t rows,
               const std::string& purpose);

}  // namespace inkan::bench
