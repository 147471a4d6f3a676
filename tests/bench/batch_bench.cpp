// inkan-bench batch: batch issuance (key + certificate + p12 written to disk) against the crypto
// floor and the OpenSSL CLI pipeline, all in the same run, for ec-p256 and rsa-2048 (issue 6),
// each with an ec-p256 and with the default rsa-3072 issuing CA; the default CA's extra CPU per
// certificate is printed in RSA-3072 signatures measured by `botan speed` in the same run
// (issue 17). Prints figures and ratios; asserts no time. docs/benchmarks.md says how to
// reproduce them.
#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/bench/batch_runs.hpp"
#include "tests/bench/bench.hpp"
#include "tests/bench/measure.hpp"
#include "tests/bench/signature_reference.hpp"

namespace inkan::bench::batchbench {
namespace {

struct Sizes {
  std::int64_t batch, floor, openssl;
};

struct Config {
  std::filesystem::path inkan;
  std::vector<KeyType> keys{KeyType::EcP256, KeyType::Rsa2048};
  std::vector<CaKind> cas{CaKind::EcP256, CaKind::Rsa3072};
  std::map<KeyType, Sizes> n{{KeyType::EcP256, {10000, 4000, 100}}, {KeyType::Rsa2048, {200, 100, 30}}};
  int repeat = 1;
  std::string only;  // "floor", "inkan" or "openssl": one contender alone, to profile it
};

constexpr const char* kUsage =
    "inkan-bench batch [--inkan PATH] [--keys ec-p256,rsa-2048] [--cas ec-p256,rsa-3072] [--repeat R]\n"
    "                  [--n-ec N] [--floor-n-ec N] [--openssl-n-ec N]\n"
    "                  [--n-rsa N] [--floor-n-rsa N] [--openssl-n-rsa N] [--only floor|inkan|openssl]\n"
    "  --inkan defaults to $INKAN_BIN. Defaults: ec-p256 10000 / 4000 / 100, rsa-2048 200 / 100 / 30\n"
    "  (inkan batch / floor / OpenSSL pipeline). With --repeat, each figure is the median of R runs.\n"
    "  --cas: the issuing CAs to compare, each row run with each (default both; rsa-3072 is inkan init's\n"
    "  default, with its rsa-4096 root). With both, the rsa-3072 CA's extra CPU per certificate is\n"
    "  printed in RSA-3072 signatures, timed by `botan speed --msec=1000 RSA` (Debian's botan) each round.\n";

std::vector<KeyType> parse_keys(const std::string& list) {
  std::vector<KeyType> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const auto name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto k = parse_key_type(name);
    if (!k || (*k != KeyType::EcP256 && *k != KeyType::Rsa2048))
      throw std::invalid_argument("--keys: ec-p256 and/or rsa-2048, not '" + name + "'");
    out.push_back(*k);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<CaKind> parse_cas(const std::string& list) {
  std::vector<CaKind> out;
  for (std::size_t start = 0; start <= list.size();) {
    const auto comma = list.find(',', start);
    const auto name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name == "ec-p256") out.push_back(CaKind::EcP256);
    else if (name == "rsa-3072") out.push_back(CaKind::Rsa3072);
    else throw std::invalid_argument("--cas: ec-p256 and/or rsa-3072, not '" + name + "'");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Config parse(const Options& o) {
  Config c;
  if (const char* env = std::getenv("INKAN_BIN")) c.inkan = env;
  if (o.smoke) {
    c.n = {{KeyType::EcP256, {40, 40, 2}}, {KeyType::Rsa2048, {4, 2, 1}}};
    c.cas = {CaKind::EcP256};  // seconds: no rsa-4096 root to generate, no botan speed
  }
  auto& a = o.args;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i + 1 >= a.size()) throw std::invalid_argument(a[i] + " needs a value");
    const auto& v = a[++i];
    auto number = [&] { return std::stoll(v); };
    if (a[i - 1] == "--inkan") c.inkan = v;
    else if (a[i - 1] == "--keys") c.keys = parse_keys(v);
    else if (a[i - 1] == "--cas") c.cas = parse_cas(v);
    else if (a[i - 1] == "--only") c.only = v;
    else if (a[i - 1] == "--repeat") c.repeat = static_cast<int>(number());
    else if (a[i - 1] == "--n-ec") c.n[KeyType::EcP256].batch = number();
    else if (a[i - 1] == "--floor-n-ec") c.n[KeyType::EcP256].floor = number();
    else if (a[i - 1] == "--openssl-n-ec") c.n[KeyType::EcP256].openssl = number();
    else if (a[i - 1] == "--n-rsa") c.n[KeyType::Rsa2048].batch = number();
    else if (a[i - 1] == "--floor-n-rsa") c.n[KeyType::Rsa2048].floor = number();
    else if (a[i - 1] == "--openssl-n-rsa") c.n[KeyType::Rsa2048].openssl = number();
    else throw std::invalid_argument("unknown option " + a[i - 1]);
  }
  if (c.inkan.empty()) throw std::invalid_argument("pass --inkan PATH or set INKAN_BIN");
  if (c.repeat < 1) c.repeat = 1;
  return c;
}

// One key's figures over the repeats; ratios are taken per repeat (same run), then the median.
struct Figures {
  std::vector<double> floor1, floor2, jobs1, jobs2, engine1, engine2, openssl;
  std::vector<double> of_floor, scaling, vs_openssl, loads;
  // CPU per certificate, ms: the floor's process time over its loop, inkan's whole process
  std::vector<double> cpu_floor1, cpu_floor2, cpu_jobs1, cpu_jobs2;
  std::int64_t rss_kib = 0;  // the largest over the --jobs 2 runs
};
using Row = std::pair<KeyType, CaKind>;

// The rsa-3072 CA's extra CPU per certificate over the ec-p256 CA's, per round, in ms and in
// RSA-3072 signatures of that round.
struct Overhead {
  // floor 1 thread, floor 2 threads, --jobs 1, --jobs 2; signatures by botan speed's ms/op and by
  // the in-process CPU per signature
  std::vector<double> ms[4], by_botan[4], by_pinned[4], by_cpu[4];
};
const char* kOverheadParts[4] = {"crypto floor, 1 thread", "crypto floor, 2 threads", "inkan batch --jobs 1",
                                 "inkan batch --jobs 2"};

std::string rate(const std::vector<double>& v) { return fixed(percentile(v, 50), v.empty() || percentile(v, 50) < 100 ? 1 : 0); }
std::string ratio(const std::vector<double>& v, const char* unit) { return fixed(percentile(v, 50), 2) + unit; }

void log(const std::string& what) {
  std::printf("  [load %s] %s\n", fixed(load_average_1min(), 2).c_str(), what.c_str());
  std::fflush(stdout);
}

// One contender alone (--only), for perf: no table.
void measure_one(const Config& c, KeyType key, CaKind ca, const std::filesystem::path& base) {
  const auto& n = c.n.at(key);
  const std::string k = std::string(to_string(key)) + " (" + to_string(ca) + " CA)";
  if (c.only == "floor") {
    auto home = make_inkan_home(c.inkan, base / "floor", ca);
    log(k + " floor, 2 threads: " + fixed(crypto_floor(home, key, n.floor, 2).per_second(), 1) + " certs/s");
  } else if (c.only == "inkan") {
    log(k + " inkan batch --jobs 2: " +
        fixed(inkan_batch(c.inkan, base / "jobs2", ca, key, n.batch, 2).wall.per_second(), 1) + " certs/s");
  } else if (c.only == "openssl") {
    log(k + " OpenSSL pipeline: " + fixed(openssl_pipeline(base / "openssl", ca, key, n.openssl).per_second(), 2) +
        " certs/s");
  } else {
    throw std::invalid_argument("--only floor|inkan|openssl");
  }
}

double ms_per_cert(const Throughput& t) { return t.certs > 0 ? t.cpu_seconds * 1e3 / static_cast<double>(t.certs) : 0; }

void measure(const Config& c, KeyType key, CaKind ca, Figures& f, const std::filesystem::path& scratch, int round) {
  const auto& n = c.n.at(key);
  const std::string k = std::string(to_string(key)) + " (" + to_string(ca) + " CA)";
  const auto base = scratch / (std::string(to_string(key)) + "-" + to_string(ca) + "-" + std::to_string(round));
  if (!c.only.empty()) return measure_one(c, key, ca, base);
  f.loads.push_back(load_average_1min());

  auto home = make_inkan_home(c.inkan, base / "floor", ca);
  const auto fl1 = crypto_floor(home, key, n.floor, 1);
  log(k + " floor, 1 thread: " + fixed(fl1.per_second(), 1) + " certs/s (cpu " + fixed(ms_per_cert(fl1), 2) +
      " ms/cert)");
  const auto fl2 = crypto_floor(home, key, n.floor, 2);
  log(k + " floor, 2 threads: " + fixed(fl2.per_second(), 1) + " certs/s (cpu " + fixed(ms_per_cert(fl2), 2) +
      " ms/cert)");
  const auto j1 = inkan_batch(c.inkan, base / "jobs1", ca, key, n.batch, 1);
  log(k + " inkan batch --jobs 1: " + fixed(j1.wall.per_second(), 1) + " certs/s (engine " + fixed(j1.engine_rate, 1) +
      ", " + fixed(j1.wall.seconds, 2) + " s, cpu " + fixed(j1.cpu_seconds, 2) + " s)");
  const auto j2 = inkan_batch(c.inkan, base / "jobs2", ca, key, n.batch, 2);
  log(k + " inkan batch --jobs 2: " + fixed(j2.wall.per_second(), 1) + " certs/s (engine " + fixed(j2.engine_rate, 1) +
      ", " + fixed(j2.wall.seconds, 2) + " s, cpu " + fixed(j2.cpu_seconds, 2) + " s, peak RSS " +
      std::to_string(j2.max_rss_kib / 1024) + " MiB)");
  const auto os = openssl_pipeline(base / "openssl", ca, key, n.openssl);
  log(k + " OpenSSL pipeline: " + fixed(os.per_second(), 2) + " certs/s");

  f.floor1.push_back(fl1.per_second());
  f.floor2.push_back(fl2.per_second());
  f.jobs1.push_back(j1.wall.per_second());
  f.jobs2.push_back(j2.wall.per_second());
  f.engine1.push_back(j1.engine_rate);
  f.engine2.push_back(j2.engine_rate);
  f.openssl.push_back(os.per_second());
  f.of_floor.push_back(j2.wall.per_second() / fl2.per_second() * 100);
  f.scaling.push_back(j2.wall.per_second() / j1.wall.per_second());
  f.vs_openssl.push_back(j2.wall.per_second() / os.per_second());
  f.rss_kib = std::max(f.rss_kib, j2.max_rss_kib);
  f.cpu_floor1.push_back(ms_per_cert(fl1));
  f.cpu_floor2.push_back(ms_per_cert(fl2));
  f.cpu_jobs1.push_back(ms_per_cert(j1.wall));
  f.cpu_jobs2.push_back(ms_per_cert(j2.wall));
  f.loads.push_back(load_average_1min());
  // The directories stay until the run ends (Scratch): on ext4, a file created soon after
  // thousands were deleted waits for an inode that was not recently freed, which cost later
  // runs up to 0.67 ms of kernel CPU per p12 (the sweep lands on no contender at the end).
}

std::string ms(const std::vector<double>& v) { return fixed(percentile(v, 50), 2); }

void print_table(const Config& c, const std::map<Row, Figures>& all) {
  std::printf("\n| key | issuing CA | N (batch / floor / openssl) | floor, 1 thread | floor, 2 threads | inkan batch --jobs 1 | "
              "inkan batch --jobs 2 | jobs 2 / jobs 1 | jobs 2 / 2-thread floor | OpenSSL pipeline | "
              "inkan / OpenSSL | CPU ms/cert: floor 1 thread / jobs 1 / jobs 2 | load during |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (auto key : c.keys) {
    for (auto ca : c.cas) {
      const auto& f = all.at({key, ca});
      const auto& n = c.n.at(key);
      std::printf("| %s | %s | %lld / %lld / %lld | %s | %s | %s (engine %s) | %s (engine %s) | %s | %s | %s | %s | %s / %s / %s | %s–%s |\n",
                  std::string(to_string(key)).c_str(), to_string(ca).c_str(), static_cast<long long>(n.batch),
                  static_cast<long long>(n.floor), static_cast<long long>(n.openssl), rate(f.floor1).c_str(),
                  rate(f.floor2).c_str(), rate(f.jobs1).c_str(), rate(f.engine1).c_str(), rate(f.jobs2).c_str(),
                  rate(f.engine2).c_str(), ratio(f.scaling, "×").c_str(), ratio(f.of_floor, " %").c_str(),
                  fixed(percentile(f.openssl, 50), 2).c_str(), ratio(f.vs_openssl, "×").c_str(), ms(f.cpu_floor1).c_str(),
                  ms(f.cpu_jobs1).c_str(), ms(f.cpu_jobs2).c_str(), fixed(percentile(f.loads, 0), 2).c_str(),
                  fixed(percentile(f.loads, 100), 2).c_str());
    }
  }
  std::printf("\nRates in certs/s, median of %d run(s); ratios per run, then the median. \"inkan batch\" is the whole\n"
              "process (unlock, issue, outputs) over N; \"engine\" is its issuing part as the command prints it.\n"
              "CPU per certificate: user + system time of the whole process over N (the floor: of its loop).\n",
              c.repeat);
  for (auto ca : c.cas) {
    if (!all.count({KeyType::EcP256, ca})) continue;
    const auto& n = c.n.at(KeyType::EcP256);
    std::printf("Peak RSS of the %lld-certificate ec-p256 batch, %s CA (--jobs 2, wait4 ru_maxrss): %s MiB\n",
                static_cast<long long>(n.batch), to_string(ca).c_str(),
                fixed(static_cast<double>(all.at({KeyType::EcP256, ca}).rss_kib) / 1024, 1).c_str());
  }
}

// Per round: the rsa-3072 CA's extra CPU per certificate over the ec-p256 CA's, in that round's
// signatures.
void add_overhead(const Figures& ec, const Figures& rsa, int round, const SignatureReference& ref, Overhead& o) {
  const std::vector<double>* e[4] = {&ec.cpu_floor1, &ec.cpu_floor2, &ec.cpu_jobs1, &ec.cpu_jobs2};
  const std::vector<double>* r[4] = {&rsa.cpu_floor1, &rsa.cpu_floor2, &rsa.cpu_jobs1, &rsa.cpu_jobs2};
  for (int p = 0; p < 4; ++p) {
    const double extra = (*r[p])[static_cast<std::size_t>(round)] - (*e[p])[static_cast<std::size_t>(round)];
    o.ms[p].push_back(extra);
    if (ref.available && ref.ms_per_signature > 0) o.by_botan[p].push_back(extra / ref.ms_per_signature);
    if (ref.pinned_ms_per_signature > 0) o.by_pinned[p].push_back(extra / ref.pinned_ms_per_signature);
    if (ref.in_process_cpu_ms > 0) o.by_cpu[p].push_back(extra / ref.in_process_cpu_ms);
  }
}

std::string runs(const std::vector<double>& v) {
  if (v.empty()) return "-";
  std::string out = fixed(percentile(v, 50), 2) + " (runs:";
  for (double x : v) out += " " + fixed(x, 2);
  return out + ")";
}

void print_overhead(const Config& c, const std::map<Row, Figures>& all, const std::map<KeyType, Overhead>& overhead,
                    const std::vector<SignatureReference>& refs) {
  std::vector<double> botan, pinned, cpu, cpu_botan;
  std::printf("\nOne RSA-3072 signature, per round:\n");
  for (const auto& r : refs) {
    std::printf("  %s\n", r.describe().c_str());
    if (r.available) botan.push_back(r.ms_per_signature), pinned.push_back(r.pinned_ms_per_signature);
    cpu.push_back(r.in_process_cpu_ms);
    cpu_botan.push_back(r.in_process_botan_cpu_ms);
  }
  std::printf("  medians: botan speed %s ms/op, pinned to one CPU %s ms/op, in process %s ms CPU (OpenSSL), %s ms "
              "(Botan)\n\n",
              fixed(percentile(botan, 50), 2).c_str(), fixed(percentile(pinned, 50), 2).c_str(),
              fixed(percentile(cpu, 50), 2).c_str(), fixed(percentile(cpu_botan, 50), 2).c_str());
  std::printf("| key | part | CPU ms/cert, ec-p256 CA | CPU ms/cert, rsa-3072 CA | extra ms/cert | in botan speed signatures "
              "| in botan speed signatures, pinned (target <= 1.3) | in in-process signature CPU |\n"
              "|---|---|---|---|---|---|---|---|\n");
  for (auto key : c.keys) {
    const auto& ec = all.at({key, CaKind::EcP256});
    const auto& rsa = all.at({key, CaKind::Rsa3072});
    const auto& o = overhead.at(key);
    const std::vector<double>* e[4] = {&ec.cpu_floor1, &ec.cpu_floor2, &ec.cpu_jobs1, &ec.cpu_jobs2};
    const std::vector<double>* r[4] = {&rsa.cpu_floor1, &rsa.cpu_floor2, &rsa.cpu_jobs1, &rsa.cpu_jobs2};
    for (int p = 0; p < 4; ++p)
      std::printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", std::string(to_string(key)).c_str(), kOverheadParts[p],
                  ms(*e[p]).c_str(), ms(*r[p]).c_str(), ms(o.ms[p]).c_str(), runs(o.by_botan[p]).c_str(),
                  runs(o.by_pinned[p]).c_str(), runs(o.by_cpu[p]).c_str());
  }
  std::printf("\nEach ratio is taken within a round (that round's signature), then the median. botan speed's ms/op is\n"
              "wall time: Botan runs an RSA signature's two CRT halves on two threads, so on idle cores one signature\n"
              "costs up to twice its ms/op in CPU, and on a busy machine its ms/op include waiting. Pinned to one CPU\n"
              "the halves take turns, so its ms/op is one signature's CPU when it had the CPU to itself (share near\n"
              "100 %%). The in-process figure is CPU time (all threads) of one reused signer of an inkan RSA-3072 CA,\n"
              "which signs with OpenSSL (issue 17); Botan's own in-process figure is printed beside it.\n");
}

int run(const Options& o) {
  Config c;
  try {
    c = parse(o);
  } catch (const std::invalid_argument& e) {
    if (*e.what()) std::fprintf(stderr, "inkan-bench batch: %s\n", e.what());
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  std::printf("machine: %s\n", to_string(describe_machine()).c_str());
  if (o.smoke) std::printf("smoke run: tiny N, the figures mean nothing\n");
  std::fflush(stdout);
  Scratch scratch;
  std::map<Row, Figures> all;
  std::map<KeyType, Overhead> overhead;
  std::vector<SignatureReference> refs;
  const bool compare_cas = c.only.empty() && c.cas.size() == 2;
  for (int round = 0; round < c.repeat; ++round) {
    if (compare_cas) {
      refs.push_back(measure_rsa3072_signature(scratch.path() / ("botan-" + std::to_string(round))));
      log("one RSA-3072 signature: " + refs.back().describe());
    }
    for (auto key : c.keys) {
      for (auto ca : c.cas) measure(c, key, ca, all[{key, ca}], scratch.path(), round);
      if (compare_cas)
        add_overhead(all[{key, CaKind::EcP256}], all[{key, CaKind::Rsa3072}], round, refs.back(), overhead[key]);
    }
  }
  if (c.only.empty()) print_table(c, all);
  if (compare_cas) print_overhead(c, all, overhead, refs);
  std::printf("machine after: %s\n", to_string(describe_machine()).c_str());
  return 0;
}

const bool registered = register_benchmark(
    {"batch", "batch issuance vs the crypto floor and the OpenSSL CLI pipeline (ec-p256, rsa-2048; ec-p256 and rsa-3072 CA)",
     kUsage, run});

}  // namespace
}  // namespace inkan::bench::batchbench
