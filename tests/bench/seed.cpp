#include "tests/bench/seed.hpp"

#include <cstdio>
#include <stdexcept>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/store/sqlite/bulk_load.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"

namespace inkan::bench {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64: a fixed, well spread sequence
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

Serial serial_of(std::int64_t i) {
  std::vector<std::uint8_t> b{0x5E, 0xED};
  for (int shift = 56; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(std::uint64_t(i) >> shift));
  return Serial::from_bytes(std::move(b));
}

}  // namespace

std::vector<std::string> seed_tenant_ids() {
  std::vector<std::string> ids;
  for (int t = 0; t < kSeedTenants; ++t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "t%02d", t);
    ids.emplace_back(buf);
  }
  return ids;
}

SeedResult seed_certificates(const std::filesystem::path& db_file, std::int64_t rows, Timestamp now) {
  std::int64_t ca_id = 0;
  Bytes der;
  {
    auto store = open_sqlite_store(db_file);
    auto ca = store->cas().active_issuing();
    if (!ca) throw std::runtime_error("seed: no active issuing CA");
    ca_id = ca->id;
    CertificateFilter any;
    any.limit = 1;
    auto one = store->certificates().list(any);
    if (one.empty()) throw std::runtime_error("seed: issue one certificate first (its DER is reused)");
    der = one.front().cert_der;
  }
  const auto tenants = seed_tenant_ids();
  const auto three_years = std::chrono::days(365 * 3 + 1);
  const auto spread_s = std::int64_t(3.5 * 365 * 86400);
  SeedResult out;
  std::int64_t i = 0;
  const auto start = Clock::now();
  out.rows = bulk_load_certificates(db_file, [&](CertificateRecord& c) {
    if (i >= rows) return false;
    const auto h = mix(std::uint64_t(i));
    c.serial = serial_of(i);
    c.ca_id = ca_id;
    c.tenant_id = tenants[std::size_t(h >> 8) % tenants.size()];  // independent of the state below
    char cn[32];
    std::snprintf(cn, sizeof cn, "device-%07lld", static_cast<long long>((i * 7919) % std::max<std::int64_t>(rows, 1)));
    c.cn = cn;
    c.kind = i % 50 == 0 ? CertKind::TenantAdmin : CertKind::Terminal;
    c.key_type = KeyType::EcP256;
    c.not_before = now - std::chrono::seconds(std::int64_t(h % std::uint64_t(spread_s)));
    c.not_after = c.not_before + three_years;
    c.requested_at = c.not_before;
    c.issued_at = c.not_before;
    c.sha256 = crypto::sha256_hex("inkan-bench seed " + std::to_string(i));
    c.cert_der = der;
    switch (i % 10) {
      case 3:
        c.state = CertState::Revoked;
        c.revoked_at = c.not_before + std::chrono::hours(24);
        c.revocation_reason = (h >> 40) % 2 ? RevocationReason::KeyCompromise : RevocationReason::Unspecified;
        ++out.revoked;
        break;
      case 5:
        c.state = CertState::Superseded;
        c.successor = serial_of(i + 1);
        break;
      case 6:
        c.state = CertState::Active;
        c.predecessor = serial_of(i - 1);
        break;
      default:
        c.state = CertState::Active;
    }
    if (i % 10 == 5 && i + 1 >= rows) c.state = CertState::Active, c.successor.reset();
    ++i;
    return true;
  });
  out.seconds = seconds_since(start);
  return out;
}

BenchRoot::BenchRoot(const std::filesystem::path& kept, const std::string& temp_prefix) {
  if (kept.empty()) {
    tmp_ = std::make_unique<TempDir>(temp_prefix);
    root_ = tmp_->path();
  } else {
    root_ = kept;
    std::filesystem::create_directories(root_);
  }
}

BenchRoot::~BenchRoot() = default;

void seed_once(const InkanDir& dir, const std::string& root_key, const std::string& issuing_key, std::int64_t rows,
               const std::string& purpose) {
  if (std::filesystem::exists(dir.database())) {
    std::printf("  reusing %s\n", dir.database().c_str());
    return;
  }
  dir.init(root_key, issuing_key, seed_tenant_ids());
  dir.issue_in_window("t00", 1, 30, purpose);
  const auto seeded = seed_certificates(dir.database(), rows, SystemClock().now());
  std::printf("  seeded %lld certificates (%lld revoked) in %.1f s through the store's bulk path\n",
              static_cast<long long>(seeded.rows), static_cast<long long>(seeded.revoked), seeded.seconds);
}

}  // namespace inkan::bench
