// inkan-bench audit: `inkan audit` pages (AuditLog::query, 50 entries, newest first) at
// 1,000,000 audit entries, one case per filter and for the combinations an auditor types, and
// `audit verify` (the whole chain recomputed). Entries are bulk-loaded, chained exactly as the
// store chains them (ca/store/sqlite/bulk_load.hpp): 20 tenants, 50 administrators, 100,000
// certificates, 9 actions, spread over the last 365 days in sequence order.
#include <cstdio>
#include <stdexcept>

#include "ca/store/store.hpp"
#include "ca/store/sqlite/bulk_load.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"
#include "tests/bench/measure.hpp"
#include "tests/bench/seed.hpp"

namespace inkan::bench {
namespace {

constexpr const char* kActions[] = {"cert.issue", "cert.download", "password.reveal", "cert.renew", "cert.download",
                                    "cert.revoke", "cert.notes", "cert.download", "cert.reissue"};
constexpr int kCertificates = 100'000;

std::string serial_of(std::int64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "A0D17%027llX", static_cast<unsigned long long>(n));
  return buf;
}

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

int run(const Options& o) {
  std::int64_t rows = std::stoll(arg_value(o.args, "--rows", "1000000"));
  int repeats = std::stoi(arg_value(o.args, "--repeats", "5"));
  if (o.smoke) rows = 20'000, repeats = 1;
  std::printf("inkan-bench audit: %s\n", to_string(describe_machine()).c_str());
  TempDir tmp("inkan-bench-audit");
  InkanDir dir(inkan_binary(o.args), tmp.path());
  dir.init("ec-p256", "ec-p256", seed_tenant_ids());
  const auto now = SystemClock().now();
  const auto start = now - std::chrono::days(365);
  const auto step = std::chrono::seconds(365 * 86400) / rows;
  std::int64_t i = 0;
  Stopwatch seed;
  auto loaded = bulk_load_audit(dir.database(), [&](AuditEvent& e) {
    if (i >= rows) return false;
    const auto cert = (i * 7919) % kCertificates;
    e.at = start + step * i;
    e.actor = i % 5 == 0 ? "cli:root" : "admin:user" + std::to_string(i % 50);
    e.action = kActions[i % 9];
    e.object = "cert:" + serial_of(cert);
    e.detail = e.action == std::string("cert.download") ? "format=p12" : "";
    e.tenant_id = "t" + std::string(cert % kSeedTenants < 10 ? "0" : "") + std::to_string(cert % kSeedTenants);
    ++i;
    return true;
  });
  std::printf("  seeded %lld audit entries in %.1f s through the store's bulk path\n", static_cast<long long>(loaded),
              seed.milliseconds() / 1000);

  auto store = open_sqlite_store(dir.database());
  auto& log = store->audit();
  const auto middle_seq = loaded / 2;
  struct Case {
    const char* name;
    AuditQuery q;
  };
  auto q = [] {
    AuditQuery a;
    a.limit = 51;  // AuditReader asks for one more than the page, to know whether one follows
    return a;
  };
  std::vector<Case> cases;
  auto add = [&](const char* name, auto edit) {
    auto a = q();
    edit(a);
    cases.push_back({name, a});
  };
  const auto month_ago = now - std::chrono::days(30);
  const auto half_year = now - std::chrono::days(182);
  add("newest, no filter", [](auto&) {});
  add("tenant", [](auto& a) { a.tenant_id = "t03"; });
  add("serial", [](auto& a) { a.object = "cert:" + serial_of(4242); });
  add("actor", [](auto& a) { a.actor = "admin:user7"; });
  add("action password.reveal", [](auto& a) { a.action = "password.reveal"; });
  add("since 30 days", [&](auto& a) { a.since = month_ago; });
  add("until 6 months ago", [&](auto& a) { a.until = half_year; });
  add("one March (since+until)", [&](auto& a) { a.since = half_year - std::chrono::days(31), a.until = half_year; });
  add("tenant + action", [](auto& a) { a.tenant_id = "t03", a.action = "password.reveal"; });
  add("tenant + 1 month 6 mo ago", [&](auto& a) { a.tenant_id = "t03", a.since = half_year - std::chrono::days(31), a.until = half_year; });
  add("actor + action", [](auto& a) { a.actor = "admin:user7", a.action = "cert.download"; });
  add("serial + action", [](auto& a) { a.object = "cert:" + serial_of(4242), a.action = "cert.download"; });
  add("tenant + actor + action", [](auto& a) { a.tenant_id = "t03", a.actor = "admin:user3", a.action = "cert.download"; });
  add("tenant + rare action", [](auto& a) { a.tenant_id = "t03", a.action = "passphrase.change"; });
  add("next page (before mid seq)", [&](auto& a) { a.before_seq = middle_seq; });
  add("tenant, next page (mid)", [&](auto& a) { a.tenant_id = "t03", a.before_seq = middle_seq; });

  std::printf("\n[inkan audit: one page of 50, %lld entries] %s\n", static_cast<long long>(loaded), load_average().c_str());
  std::printf("  %-30s %10s %6s\n", "filter", "median ms", "rows");
  double worst = 0;
  for (const auto& c : cases) {
    std::size_t n = 0;
    const double ms = median_ms(repeats, [&] { n = log.query(c.q).size(); });
    worst = std::max(worst, ms);
    std::printf("  %-30s %10.2f %6zu\n", c.name, ms, n);
  }
  std::printf("  slowest page: %.2f ms (target < 50 ms)\n", worst);
  Stopwatch verify;
  auto v = log.verify();
  std::printf("  audit verify (whole chain + tenant index): %.0f ms, %s over %lld entries\n", verify.milliseconds(),
              v.ok ? "intact" : v.problem.c_str(), static_cast<long long>(v.entries));
  std::fflush(stdout);
  return v.ok ? 0 : 1;
}

const bool registered = register_benchmark(
    {"audit", "inkan audit: filtered pages and verify at 1,000,000 audit entries",
     "inkan-bench audit [--rows N] [--repeats N] [--inkan PATH]", run});

}  // namespace
}  // namespace inkan::bench
