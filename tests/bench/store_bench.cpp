// inkan-bench store: the store at 1,000,000 certificates (bulk-seeded, tests/bench/seed.hpp).
//   1. CRL generation with the seed's 100,000 revoked entries: the revoked-list query, then the
//      whole publish (Revocation::publish_crl: query, DER encoding, signature, audit entry).
//   2. The list and filter queries of the management site (CertificateQueries::page: one page
//      and its total) and of `inkan list` (CertificateRepository::list with a limit), each with
//      SQLite's EXPLAIN QUERY PLAN, so an index that is not used shows.
#include <cstdio>
#include <stdexcept>

#include "ca/crypto/rng.hpp"
#include "ca/service/admin/admin_queries.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/store/admin_repositories.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"
#include "tests/bench/measure.hpp"
#include "tests/bench/seed.hpp"

namespace inkan::bench {
namespace {

struct Settings {
  std::int64_t rows = 1'000'000;
  int repeats = 5;
  std::string root_key = "rsa-4096", issuing_key = "rsa-3072";
  std::string data;  // reuse a seeded directory (created and seeded when absent)
};

Settings parse(const Options& o) {
  Settings s;
  s.rows = std::stoll(arg_value(o.args, "--rows", "1000000"));
  s.repeats = std::stoi(arg_value(o.args, "--repeats", "5"));
  s.issuing_key = arg_value(o.args, "--issuing-key", s.issuing_key);
  s.root_key = arg_value(o.args, "--root-key", s.root_key);
  s.data = arg_value(o.args, "--data", "");
  if (o.smoke) s.rows = 20'000, s.repeats = 1, s.root_key = s.issuing_key = "ec-p256";
  return s;
}

// Median milliseconds of `repeats` runs of `body`.
template <typename Body>
double median_ms(int repeats, Body&& body) {
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    Stopwatch w;
    body();
    ms.push_back(w.milliseconds());
  }
  return percentile(ms, 50);
}

void crl_part(const InkanDir& dir, const Settings& s) {
  auto store = open_sqlite_store(dir.database());
  auto keyring = service::Keyring::unlock(*store, dir.passphrase());
  auto rng = crypto::Rng::system();
  SystemClock clock;
  const auto ca = store->cas().active_issuing();
  std::size_t entries = 0;
  const double query = median_ms(s.repeats, [&] { entries = store->certificates().revoked(ca->id).size(); });
  keyring.issuing_ca(*store);  // the CA key is decrypted once per process (PBKDF2), not per CRL
  std::size_t bytes = 0;
  const double publish = median_ms(s.repeats, [&] {
    service::Revocation revocation(*store, clock, service::Actor{"bench"});
    auto crl = revocation.publish_crl(keyring, *rng, std::chrono::hours(24 * 7));
    bytes = crl.der.size();
  });
  std::printf("\n[CRL, %zu revoked entries, issuing CA %s] %s\n", entries, s.issuing_key.c_str(), load_average().c_str());
  std::printf("  revoked-list query: median %.1f ms\n  publish_crl (query + encode + sign + audit): median %.1f ms "
              "(target < 2000 ms), %zu bytes\n", query, publish, bytes);
}

struct Case {
  std::string name;
  CertificatePageQuery q;
};

std::vector<Case> page_cases(Timestamp now) {
  auto base = [&] {
    CertificatePageQuery q;
    q.now = now;
    q.limit = 50;
    q.count_limit = service::kCertificateListCountLimit;  // as the management site asks
    return q;
  };
  std::vector<Case> cases;
  auto add = [&](std::string name, auto edit) {
    auto q = base();
    edit(q);
    cases.push_back({std::move(name), q});
  };
  add("every certificate", [](auto&) {});
  add("tenant", [](auto& q) { q.tenant_id = "t03"; });
  add("status active", [](auto& q) { q.status = CertStatus::Active; });
  add("status revoked", [](auto& q) { q.status = CertStatus::Revoked; });
  add("status expired", [](auto& q) { q.status = CertStatus::Expired; });
  add("status superseded", [](auto& q) { q.status = CertStatus::Superseded; });
  add("kind tenant-admin", [](auto& q) { q.kind = CertKind::TenantAdmin; });
  add("expiring within 30 days", [&](auto& q) { q.expiring_before = now + std::chrono::days(30); });
  add("search CN prefix", [](auto& q) { q.search = "device-00012"; });
  add("search serial prefix", [](auto& q) { q.search = "5EED00000000000123"; });
  add("tenant + active", [](auto& q) { q.tenant_id = "t03", q.status = CertStatus::Active; });
  add("tenant + revoked", [](auto& q) { q.tenant_id = "t03", q.status = CertStatus::Revoked; });
  add("tenant + expiring 30 d", [&](auto& q) { q.tenant_id = "t03", q.expiring_before = now + std::chrono::days(30); });
  add("tenant + kind tenant-admin", [](auto& q) { q.tenant_id = "t03", q.kind = CertKind::TenantAdmin; });
  add("tenant + search CN", [](auto& q) { q.tenant_id = "t03", q.search = "device-0001"; });
  add("page 201 (offset 10000)", [](auto& q) { q.offset = 10'000; });
  add("tenant, page 201", [](auto& q) { q.tenant_id = "t03", q.offset = 10'000; });
  return cases;
}

void list_part(const InkanDir& dir, const Settings& s) {
  auto store = open_sqlite_store(dir.database());
  const auto now = SystemClock().now();
  auto& queries = store->certificate_queries();
  std::printf("\n[management site list page: 50 rows + total (counted up to %zu), %lld certificates] %s\n",
              service::kCertificateListCountLimit, static_cast<long long>(s.rows),
              load_average().c_str());
  std::printf("  %-28s %10s %9s  %s\n", "filter", "median ms", "total", "plan");
  double worst = 0;
  for (const auto& c : page_cases(now)) {
    CertificatePage page;
    const double ms = median_ms(s.repeats, [&] { page = queries.page(c.q); });
    worst = std::max(worst, ms);
    std::string plan;
    for (const auto& line : queries.explain_page(c.q)) plan += (plan.empty() ? "" : "; ") + line;
    std::printf("  %-28s %10.2f %8lld%s  %s\n", c.name.c_str(), ms, static_cast<long long>(page.total),
                page.total_capped ? "+" : " ", plan.c_str());
  }
  // The same page with an exact count (count_limit 0), for comparison in the same run.
  for (const auto& c : page_cases(now)) {
    if (c.name != "every certificate" && c.name != "status active") continue;
    auto exact = c.q;
    exact.count_limit = 0;
    std::int64_t total = 0;
    const double ms = median_ms(s.repeats, [&] { total = queries.page(exact).total; });
    std::printf("  %-28s %10.2f %9lld  (exact count, for comparison)\n", c.name.c_str(), ms, static_cast<long long>(total));
  }
  const double counts = median_ms(s.repeats, [&] { queries.counts(std::nullopt, now); });
  const double tenant_counts = median_ms(s.repeats, [&] { queries.counts(std::string("t03"), now); });
  std::printf("  %-28s %10.2f  (dashboard: four exact counts)\n  %-28s %10.2f\n", "status counts, all", counts,
              "status counts, tenant", tenant_counts);
  std::printf("  slowest page: %.2f ms (target < 50 ms)\n", worst);

  std::printf("\n[inkan list: CertificateRepository::list, first 50 rows] %s\n", load_average().c_str());
  auto list_case = [&](const char* name, auto edit) {
    CertificateFilter f;
    f.now = now;
    f.limit = 50;
    edit(f);
    std::size_t n = 0;
    const double ms = median_ms(s.repeats, [&] { n = store->certificates().list(f).size(); });
    std::printf("  %-28s %10.2f ms  (%zu rows)\n", name, ms, n);
  };
  list_case("every certificate", [](auto&) {});
  list_case("tenant", [](auto& f) { f.tenant_id = "t03"; });
  list_case("status active", [](auto& f) { f.status = CertStatus::Active; });
  list_case("status revoked", [](auto& f) { f.status = CertStatus::Revoked; });
  list_case("status expired", [](auto& f) { f.status = CertStatus::Expired; });
  list_case("expiring within 30 days", [&](auto& f) { f.expiring_before = now + std::chrono::days(30); });
  list_case("tenant + expiring 30 d", [&](auto& f) { f.tenant_id = "t03", f.expiring_before = now + std::chrono::days(30); });
}

int run(const Options& o) {
  const auto s = parse(o);
  std::printf("inkan-bench store: %s\n", to_string(describe_machine()).c_str());
  BenchRoot root(s.data, "inkan-bench-store");
  InkanDir dir(inkan_binary(o.args), root.path());
  seed_once(dir, s.root_key, s.issuing_key, s.rows, "store");
  crl_part(dir, s);
  list_part(dir, s);
  std::fflush(stdout);
  return 0;
}

const bool registered = register_benchmark(
    {"store", "CRL of 100,000 revoked entries; list and filter queries on 1,000,000 certificates",
     "inkan-bench store [--inkan PATH] [--rows N] [--repeats R] [--root-key K] [--issuing-key K] [--data DIR]\n"
     "  --inkan defaults to $INKAN_BIN. Defaults: 1000000 rows (one in ten revoked), 5 repeats (medians),\n"
     "  CA keys rsa-4096 / rsa-3072 (inkan init's). --data DIR keeps the seeded directory for the next run.\n",
     run});

}  // namespace
}  // namespace inkan::bench
