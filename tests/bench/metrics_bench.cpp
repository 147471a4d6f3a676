// inkan-bench metrics: what one Prometheus scrape of `inkan serve --metrics-listen` costs at
// 1,000,000 certificates (bulk-seeded, tests/bench/seed.hpp). The whole body of GET /metrics is
// rendered in-process by the same code the route calls (render_metrics: the counts by status
// and the expiring-within gauges from the day buckets of migration 0010, the CA and CRL
// lifetimes, the batch journal, the health checks, the counters), on a warm connection as the
// server's worker threads have. Target: under 5 ms per scrape (issue 19), so scraping every 15 s
// is free. With --per-tenant, also the per-tenant gauges (20 seed tenants).
#include <cstdio>
#include <stdexcept>

#include "ca/service/keys/keyring.hpp"
#include "ca/service/monitoring/certificate_gauges.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"
#include "tests/bench/measure.hpp"
#include "tests/bench/seed.hpp"
#include "web/app.hpp"
#include "web/monitoring/metrics_exposition.hpp"
#include "web/monitoring/metrics_registry.hpp"

namespace inkan::bench {
namespace {

struct Settings {
  std::int64_t rows = 1'000'000;
  int repeats = 200;
  std::string data;
};

Settings parse(const Options& o) {
  Settings s;
  s.rows = std::stoll(arg_value(o.args, "--rows", "1000000"));
  s.repeats = std::stoi(arg_value(o.args, "--repeats", "200"));
  s.data = arg_value(o.args, "--data", "");
  if (o.smoke) s.rows = 20'000, s.repeats = 5;
  return s;
}

template <typename Body>
std::vector<double> timings_ms(int repeats, Body&& body) {
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    Stopwatch w;
    body();
    ms.push_back(w.milliseconds());
  }
  return ms;
}

void report(const char* what, const std::vector<double>& ms, std::size_t bytes) {
  std::printf("  %-44s median %6.3f ms  p95 %6.3f ms  max %6.3f ms  (%zu bytes)\n", what, percentile(ms, 50),
              percentile(ms, 95), percentile(ms, 100), bytes);
}

int run(const Options& o) {
  const auto s = parse(o);
  std::printf("inkan-bench metrics: %s\n", to_string(describe_machine()).c_str());
  BenchRoot root(s.data, "inkan-bench-metrics");
  InkanDir dir(inkan_binary(o.args), root.path());
  seed_once(dir, "ec-p256", "ec-p256", s.rows, "metrics");
  auto store = open_sqlite_store(dir.database());
  auto keyring = service::Keyring::unlock(*store, dir.passphrase());
  keyring.unlock_all_cas(*store);
  SystemClock clock;
  web::App app(dir.data(), keyring, {}, clock);
  app.ensure_server_certificate({"localhost"});
  app.current_crl();  // as serve does at start: the CRL the gauges and /healthz judge

  const auto now = clock.now();
  const auto g = service::certificate_gauges(*store, now);
  std::printf("\n[one scrape, %lld certificates: active %lld, superseded %lld, expired %lld, revoked %lld; "
              "expiring 7/30/90 d: %lld/%lld/%lld] %s\n",
              static_cast<long long>(s.rows), static_cast<long long>(g.by_status.active),
              static_cast<long long>(g.by_status.superseded), static_cast<long long>(g.by_status.expired),
              static_cast<long long>(g.by_status.revoked), static_cast<long long>(g.expiring[0]),
              static_cast<long long>(g.expiring[1]), static_cast<long long>(g.expiring[2]), load_average().c_str());
  std::size_t bytes = 0;
  auto scrape = [&](bool per_tenant) {
    bytes = web::render_metrics(app, web::metrics(), web::MetricsOptions{.per_tenant = per_tenant}).size();
  };
  scrape(false);  // the worker thread's connection and statements, as after the first scrape
  report("certificate gauges only (counts + 3 windows)", timings_ms(s.repeats, [&] {
           service::certificate_gauges(app.store(), clock.now());
         }), 0);
  auto all = timings_ms(s.repeats, [&] { scrape(false); });
  report("GET /metrics body (target < 5 ms)", all, bytes);
  auto tenants = timings_ms(s.repeats, [&] { scrape(true); });
  report("GET /metrics body, --metrics-per-tenant", tenants, bytes);
  std::printf("  verdict: median scrape %.3f ms, %s the 5 ms target\n", percentile(all, 50),
              percentile(all, 50) < 5 ? "under" : "OVER");
  std::fflush(stdout);
  return 0;
}

const bool registered = register_benchmark(
    {"metrics", "One Prometheus scrape (GET /metrics body) at 1,000,000 certificates",
     "inkan-bench metrics [--inkan PATH] [--rows N] [--repeats R] [--data DIR]\n"
     "  --inkan defaults to $INKAN_BIN. Defaults: 1000000 rows, 200 scrapes (median, p95, max).\n"
     "  --data DIR keeps the seeded directory for the next run.\n",
     run});

}  // namespace
}  // namespace inkan::bench
