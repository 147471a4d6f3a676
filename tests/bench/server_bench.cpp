// inkan-bench server: the appliance under load, against a real `inkan serve`.
//   1. Portal on fresh mutual-TLS connections (full handshake each): GET / requests per second,
//      against `openssl s_server -www` with the same server key and chain, the same client
//      certificate and the same client threads, in alternating rounds of the same run.
//   2. API renewals (POST /api/v1/renew, ec-p256) from 8 concurrent clients, each renewing a
//      distinct certificate issued by `inkan batch issue --not-before` inside the 90-day window.
//   Both with an ec-p256 and with the default rsa-3072 issuing CA, in alternating order within the
//   same run (issue 17), with the rsa-3072 CA's extra server CPU per renewal in RSA-3072
//   signatures timed in the same run (signature_reference.hpp).
//   3. Cold start: exec of `inkan serve` to its first 200 over HTTPS, with 1,000,000 certificates
//      in the store (bulk-seeded, tests/bench/seed.hpp), next to the same with a small store.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/service/keys/server_certificate.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"
#include "tests/bench/measure.hpp"
#include "tests/bench/seed.hpp"
#include "tests/bench/signature_reference.hpp"
#include "tests/bench/tls_load.hpp"

namespace inkan::bench {
namespace {

struct Settings {
  int threads = 4;           // client threads of the handshake comparison (same for both servers)
  double seconds = 5;        // per handshake round
  int rounds = 3;
  int renew_clients = 8;
  int renewals = 2400;       // distinct certificates in the window
  std::int64_t cold_rows = 1'000'000;
  int cold_repeats = 3;
  struct Ca {
    std::string root_key, issuing_key;
  };
  // the issuing CAs compared, each with its root: ec-p256 / ec-p256, and inkan init's defaults
  std::vector<Ca> cas{{"ec-p256", "ec-p256"}, {"rsa-4096", "rsa-3072"}};
  int repeat = 1;            // rounds of the handshake and renewal parts, for medians
  std::string only;          // handshake|keepalive|renew|cold, or all
  int kept_requests = 100;   // per path on one kept connection: serve's keep-alive limit
  std::string p12_profile = "compat";  // of the clients' certificates, so of their renewals
};

Settings parse(const Options& o) {
  Settings s;
  const auto& a = o.args;
  s.threads = std::stoi(arg_value(a, "--threads", "4"));
  s.seconds = std::stod(arg_value(a, "--seconds", "5"));
  s.rounds = std::stoi(arg_value(a, "--rounds", "3"));
  s.renewals = std::stoi(arg_value(a, "--renewals", "2400"));
  s.cold_rows = std::stoll(arg_value(a, "--rows", "1000000"));
  s.cold_repeats = std::stoi(arg_value(a, "--repeats", "3"));
  s.repeat = std::max(1, std::stoi(arg_value(a, "--repeat", "1")));
  const auto cas = arg_value(a, "--cas", "ec-p256,rsa-3072");
  if (cas == "ec-p256") s.cas = {{"ec-p256", "ec-p256"}};
  else if (cas == "rsa-3072") s.cas = {{"rsa-4096", "rsa-3072"}};
  else if (cas != "ec-p256,rsa-3072") throw std::invalid_argument("--cas: ec-p256, rsa-3072 or ec-p256,rsa-3072");
  // --issuing-key / --root-key: one CA of any other kind
  const auto issuing = arg_value(a, "--issuing-key", ""), root = arg_value(a, "--root-key", "");
  if (!issuing.empty() || !root.empty())
    s.cas = {{root.empty() ? "rsa-4096" : root, issuing.empty() ? "rsa-3072" : issuing}};
  s.only = arg_value(a, "--only", "");
  s.p12_profile = arg_value(a, "--p12-profile", s.p12_profile);
  if (o.smoke) {
    s.threads = 2, s.seconds = 0.5, s.rounds = 1, s.renewals = 16, s.cold_rows = 5000, s.cold_repeats = 1;
    s.kept_requests = 20;
    s.cas = {{"ec-p256", "ec-p256"}};
  }
  return s;
}

bool wanted(const Settings& s, const char* part) { return s.only.empty() || s.only == part; }

// `openssl s_server -www` with the server identity inkan serve uses, asking for (not requiring)
// a client certificate verified against our chain, as inkan does.
class OpensslServer {
 public:
  OpensslServer(const InkanDir& dir) : port_(free_loopback_port()) {
    auto store = open_sqlite_store(dir.database());
    auto& settings = store->settings();
    auto cert = settings.get(service::settings_keys::kServerCertPem);
    auto chain = settings.get(service::settings_keys::kServerChainPem);
    auto key = settings.get(service::settings_keys::kServerKeyPem);
    if (!cert || !chain || !key) throw std::runtime_error("inkan serve has not stored its server certificate");
    auto pkcs8 = crypto::PrivateKey::from_encrypted_pem(*key, dir.passphrase()).to_pkcs8_der();
    const auto root = dir.root();
    write_private_file(root / "s_server-cert.pem", *cert);
    write_private_file(root / "s_server-chain.pem", *chain);
    write_private_file(root / "s_server-key.pem", crypto::pem_encode(pkcs8, "PRIVATE KEY"));
    child_ = std::make_unique<Child>(
        std::vector<std::string>{"/usr/bin/openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port_),
                                 "-cert", (root / "s_server-cert.pem").string(), "-key",
                                 (root / "s_server-key.pem").string(), "-cert_chain",
                                 (root / "s_server-chain.pem").string(), "-CAfile",
                                 (root / "s_server-chain.pem").string(), "-verify", "4", "-www", "-quiet"},
        root / "s_server.out", root / "s_server.err");
  }
  ~OpensslServer() { child_->stop(SIGTERM); }
  int port() const { return port_; }
  pid_t pid() const { return child_->pid(); }
  void wait_ready(const ClientCredential& cred) {
    TlsClient client;
    for (int i = 0; i < 2000; ++i) {
      if (!child_->running()) throw std::runtime_error("openssl s_server exited");
      auto r = client.exchange(port_, &cred, get_request("/"));
      if (r.ok && r.status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    throw std::runtime_error("openssl s_server did not answer");
  }

 private:
  int port_;
  std::unique_ptr<Child> child_;
};

struct Round {
  LoadResult load;
  double server_cpu_ms = 0;  // server CPU per successful request
};

Round portal_round(int port, pid_t server, const ClientCredential& cred, const Settings& s) {
  TlsClient client;
  const auto request = get_request("/");
  const double cpu0 = process_cpu_seconds(server);
  Round round;
  round.load = run_load(s.threads, std::chrono::duration<double>(s.seconds), [&](int, bool&) -> std::string {
    auto r = client.exchange(port, &cred, request);
    if (!r.ok) return r.error;
    return r.status == 200 ? "" : "status " + std::to_string(r.status);
  });
  if (round.load.ok > 0) round.server_cpu_ms = (process_cpu_seconds(server) - cpu0) * 1000.0 / double(round.load.ok);
  return round;
}

struct HandshakeFigures {
  double ours = 0, theirs = 0, cpu_ours = 0, cpu_theirs = 0;
  std::int64_t errors = 0;
};

HandshakeFigures handshake_part(const InkanDir& dir, ServeProcess& serve, const ClientCredential& cred, const Settings& s) {
  OpensslServer reference(dir);
  reference.wait_ready(cred);
  std::printf("\n[portal, fresh mutual-TLS connections, GET /, %d client threads, %.1f s rounds] %s\n", s.threads,
              s.seconds, load_average().c_str());
  std::vector<double> ours, theirs, cpu_ours, cpu_theirs;
  std::int64_t errors = 0;
  std::string first_error;
  for (int r = 0; r < s.rounds; ++r) {
    auto ra = portal_round(serve.port(), serve.pid(), cred, s);
    auto rb = portal_round(reference.port(), reference.pid(), cred, s);
    const auto& a = ra.load;
    const auto& b = rb.load;
    cpu_ours.push_back(ra.server_cpu_ms);
    cpu_theirs.push_back(rb.server_cpu_ms);
    ours.push_back(a.rate());
    theirs.push_back(b.rate());
    errors += a.errors + b.errors;
    if (first_error.empty()) first_error = !a.first_error.empty() ? a.first_error : b.first_error;
    std::printf("  round %d: inkan serve %7.1f req/s (p50 %.2f ms, server CPU %.2f ms/req)   openssl s_server -www %7.1f "
                "req/s (p50 %.2f ms, server CPU %.2f ms/req)   %s\n",
                r + 1, a.rate(), percentiles(a.latencies_ms).p50, ra.server_cpu_ms, b.rate(),
                percentiles(b.latencies_ms).p50, rb.server_cpu_ms, load_average().c_str());
  }
  const double m_ours = median(ours), m_theirs = median(theirs);
  std::printf("  server CPU per request (median): inkan serve %.2f ms, openssl s_server %.2f ms -> CPU ratio %.0f%%\n",
              median(cpu_ours), median(cpu_theirs), median(cpu_ours) > 0 ? 100.0 * median(cpu_theirs) / median(cpu_ours) : 0.0);
  std::printf("  median: inkan serve %.1f req/s, openssl s_server %.1f req/s -> ratio %.0f%% (target >= 70%%), errors %lld%s%s\n",
              m_ours, m_theirs, m_theirs > 0 ? 100.0 * m_ours / m_theirs : 0.0, static_cast<long long>(errors),
              first_error.empty() ? "" : ", first: ", first_error.c_str());
  return {m_ours, m_theirs, median(cpu_ours), median(cpu_theirs), errors};
}

// Requests on one kept connection, as a browser sends them: each answer must leave at once, not
// wait for the client's delayed ACK (40 ms on Linux) because the server held back its last
// segment (Nagle's algorithm without TCP_NODELAY).
void keepalive_part(ServeProcess& serve, const ClientCredential& cred, const Settings& s) {
  std::printf("\n[one kept mutual-TLS connection, %d requests each, one at a time] %s\n", s.kept_requests,
              load_average().c_str());
  TlsClient client;
  for (const char* path : {"/", "/ca.pem", "/api/v1/me"}) {
    std::string error;
    const std::string request = std::string("GET ") + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const auto ms = client.kept_exchanges(serve.port(), &cred, request, s.kept_requests, error);
    if (!error.empty()) throw std::runtime_error(std::string("kept connection, GET ") + path + ": " + error);
    const auto p = percentiles(ms);
    std::printf("  GET %-12s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", path, p.p50, p.p99, p.max);
  }
}

struct RenewFigures {
  double rate = 0, p50 = 0, p99 = 0, server_cpu_ms = 0, client_cpu_ms = 0, load_after = 0;
  std::int64_t errors = 0;
};

RenewFigures renew_part(ServeProcess& serve, const std::vector<std::shared_ptr<ClientCredential>>& creds,
                        const Settings& s) {
  std::printf("\n[API renewals, POST /api/v1/renew, ec-p256, p12 profile %s, %d clients, %zu distinct certificates in "
              "the window] %s\n",
              s.p12_profile.c_str(), s.renew_clients, creds.size(), load_average().c_str());
  TlsClient client;
  std::atomic<std::size_t> next{0};
  const auto request = post_json_request("/api/v1/renew", "{}");
  const double cpu0 = process_cpu_seconds(serve.pid());
  const double client_cpu0 = process_cpu_seconds(::getpid());  // the 8 client threads share the two cores
  auto result = run_load(s.renew_clients, std::chrono::seconds(600), [&](int, bool& stop) -> std::string {
    const std::size_t i = next++;
    if (i >= creds.size()) {
      stop = true;
      return "";
    }
    auto r = client.exchange(serve.port(), creds[i].get(), request);
    if (!r.ok) return r.error;
    if (r.status != 200) return "status " + std::to_string(r.status) + ": " + r.body.substr(0, 200);
    if (r.body.find("\"already_renewed\":false") == std::string::npos) return "not a new successor";
    return "";
  });
  auto p = percentiles(result.latencies_ms);
  const double cpu_ms = result.ok ? (process_cpu_seconds(serve.pid()) - cpu0) * 1000.0 / double(result.ok) : 0.0;
  const double client_ms =
      result.ok ? (process_cpu_seconds(::getpid()) - client_cpu0) * 1000.0 / double(result.ok) : 0.0;
  std::printf("  server CPU per renewal %.2f ms (2 cores: at most %.0f renewals/s if the server had them to itself)\n",
              cpu_ms, cpu_ms > 0 ? 2000.0 / cpu_ms : 0.0);
  std::printf("  client CPU per renewal %.2f ms (this bench's TLS handshakes); server + client %.2f ms: at most %.0f "
              "renewals/s on these 2 cores\n",
              client_ms, cpu_ms + client_ms, cpu_ms + client_ms > 0 ? 2000.0 / (cpu_ms + client_ms) : 0.0);
  std::printf("  %lld renewals in %.2f s: %.1f renewals/s (target >= 150), p50 %.1f ms, p90 %.1f ms, p99 %.1f ms "
              "(target < 100), max %.1f ms, errors %lld (target 0)%s%s   %s\n",
              static_cast<long long>(result.ok), result.seconds, result.rate(), p.p50, p.p90, p.p99, p.max,
              static_cast<long long>(result.errors), result.first_error.empty() ? "" : ", first: ",
              result.first_error.c_str(), load_average().c_str());
  return {result.rate(), p.p50, p.p99, cpu_ms, client_ms, load_average_1min(), result.errors};
}

// Seconds from exec to the first 200, `repeats` times.
std::vector<double> cold_starts(const InkanDir& dir, const ClientCredential& cred, int repeats) {
  std::vector<double> out;
  for (int i = 0; i < repeats; ++i) {
    ServeProcess serve(dir);
    out.push_back(serve.wait_until_serving(cred, 120));
    if (const int rc = serve.stop(); rc != 0) throw std::runtime_error("inkan serve exited with " + std::to_string(rc));
  }
  return out;
}

void cold_part(const std::string& bin, const InkanDir& small, const ClientCredential& small_cred, const Settings& s,
               const Settings::Ca& ca) {
  TempDir tmp("inkan-bench-cold");
  InkanDir dir(bin, tmp.path());
  auto tenants = seed_tenant_ids();
  dir.init(ca.root_key, ca.issuing_key, tenants);
  auto cred = dir.issue_in_window("t00", 1, 30, "cold").front();
  std::printf("\n[cold start: exec of inkan serve to its first 200 on GET / over mutual TLS, CA keys %s / %s] %s\n",
              ca.root_key.c_str(), ca.issuing_key.c_str(), load_average().c_str());
  auto seeded = seed_certificates(dir.database(), s.cold_rows, SystemClock().now());
  std::printf("  seeded %lld certificates (%lld revoked) in %.1f s through the store's bulk path; database %.0f MB\n",
              static_cast<long long>(seeded.rows), static_cast<long long>(seeded.revoked), seeded.seconds,
              double(std::filesystem::file_size(dir.database())) / 1e6);
  {
    ServeProcess first(dir);  // issues and stores the server certificate: not a cold start
    first.wait_until_serving(*cred, 120);
    first.stop();
  }
  auto big = cold_starts(dir, *cred, s.cold_repeats);
  auto little = cold_starts(small, small_cred, s.cold_repeats);
  std::string list_big, list_small;
  for (double v : big) list_big += " " + std::to_string(v).substr(0, 5);
  for (double v : little) list_small += " " + std::to_string(v).substr(0, 5);
  std::printf("  %lld certificates: median %.3f s (runs:%s) (target < 2 s)\n  small store (same run): median %.3f s (runs:%s)   %s\n",
              static_cast<long long>(seeded.rows + 1), median(big), list_big.c_str(), median(little), list_small.c_str(),
              load_average().c_str());
}

// One CA's figures over the rounds.
struct CaFigures {
  std::vector<HandshakeFigures> handshakes;
  std::vector<RenewFigures> renewals;
};

template <class T, class F>
double median_of(const std::vector<T>& rows, F field) {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(field(r));
  return median(v);
}

void print_summary(const Settings& s, const std::vector<CaFigures>& figures, const std::vector<SignatureReference>& refs) {
  std::printf("\n[summary: medians of %d round(s); the CAs alternate within each round]\n", s.repeat);
  if (wanted(s, "handshake")) {
    std::printf("| issuing CA | portal, inkan serve req/s | openssl s_server -www req/s | ratio (target >= 70 %%) | server CPU "
                "ms/request | errors |\n|---|---|---|---|---|---|\n");
    for (std::size_t c = 0; c < s.cas.size(); ++c) {
      const auto& h = figures[c].handshakes;
      const double ours = median_of(h, [](auto& x) { return x.ours; }), theirs = median_of(h, [](auto& x) { return x.theirs; });
      std::int64_t errors = 0;
      for (const auto& x : h) errors += x.errors;
      std::printf("| %s (root %s) | %.1f | %.1f | %.0f %% | %.2f | %lld |\n", s.cas[c].issuing_key.c_str(),
                  s.cas[c].root_key.c_str(), ours, theirs, theirs > 0 ? 100 * ours / theirs : 0.0,
                  median_of(h, [](auto& x) { return x.cpu_ours; }), static_cast<long long>(errors));
    }
  }
  if (!wanted(s, "renew")) return;
  std::printf("\n| issuing CA | renewals/s (target >= 150) | p50 ms | p99 ms (target < 100) | errors (target 0) | server CPU "
              "ms/renewal | client CPU ms/renewal | runs: renewals/s, p99 ms |\n|---|---|---|---|---|---|---|---|\n");
  for (std::size_t c = 0; c < s.cas.size(); ++c) {
    const auto& r = figures[c].renewals;
    std::int64_t errors = 0;
    std::string runs;
    for (const auto& x : r) {
      errors += x.errors;
      runs += (runs.empty() ? "" : "; ") + fixed(x.rate, 1) + ", " + fixed(x.p99, 1);
    }
    std::printf("| %s (root %s) | %.1f | %.1f | %.1f | %lld | %.2f | %.2f | %s |\n", s.cas[c].issuing_key.c_str(),
                s.cas[c].root_key.c_str(), median_of(r, [](auto& x) { return x.rate; }),
                median_of(r, [](auto& x) { return x.p50; }), median_of(r, [](auto& x) { return x.p99; }),
                static_cast<long long>(errors), median_of(r, [](auto& x) { return x.server_cpu_ms; }),
                median_of(r, [](auto& x) { return x.client_cpu_ms; }), runs.c_str());
  }
  if (s.cas.size() != 2 || refs.empty()) return;
  // Per round: the default CA's rate against the ec-p256 CA's, its extra server CPU in signatures.
  std::vector<double> rate_share, extra_ms, by_botan, by_pinned, by_cpu;
  for (int round = 0; round < s.repeat; ++round) {
    const auto& ec = figures[0].renewals[static_cast<std::size_t>(round)];
    const auto& rsa = figures[1].renewals[static_cast<std::size_t>(round)];
    const auto& ref = refs[static_cast<std::size_t>(round)];
    rate_share.push_back(ec.rate > 0 ? 100 * rsa.rate / ec.rate : 0);
    extra_ms.push_back(rsa.server_cpu_ms - ec.server_cpu_ms);
    if (ref.available && ref.ms_per_signature > 0) by_botan.push_back(extra_ms.back() / ref.ms_per_signature);
    if (ref.pinned_ms_per_signature > 0) by_pinned.push_back(extra_ms.back() / ref.pinned_ms_per_signature);
    if (ref.in_process_cpu_ms > 0) by_cpu.push_back(extra_ms.back() / ref.in_process_cpu_ms);
  }
  std::printf("\nrsa-3072 CA's renewal rate as a share of the ec-p256 CA's, per round: median %.0f %% (target >= 85 %% where "
              "two cores cannot carry 150/s)\n", median(rate_share));
  std::printf("rsa-3072 CA's extra server CPU per renewal: median %.2f ms = %.2f botan speed signatures (%.2f pinned to one "
              "CPU) = %.2f in-process signature CPU\n", median(extra_ms), by_botan.empty() ? 0.0 : median(by_botan),
              by_pinned.empty() ? 0.0 : median(by_pinned), median(by_cpu));
  for (const auto& r : refs) std::printf("  one RSA-3072 signature: %s\n", r.describe().c_str());
}

int run(const Options& o) {
  const auto s = parse(o);
  const auto bin = inkan_binary(o.args);
  TempDir tmp("inkan-bench-server");
  if (!arg_value(o.args, "--keep", "").empty()) tmp.keep();
  std::printf("inkan-bench server: %s; issuing CAs:", to_string(describe_machine()).c_str());
  for (const auto& ca : s.cas) std::printf(" %s (root %s)", ca.issuing_key.c_str(), ca.root_key.c_str());
  std::printf("\n");
  std::vector<CaFigures> figures(s.cas.size());
  std::vector<SignatureReference> refs;
  // The last round's directory of the first CA: the cold start's small store.
  std::unique_ptr<InkanDir> small;
  std::shared_ptr<ClientCredential> small_cred;
  for (int round = 0; round < s.repeat && (wanted(s, "handshake") || wanted(s, "keepalive") || wanted(s, "renew"));
       ++round) {
    if (s.cas.size() == 2 && !o.smoke) refs.push_back(measure_rsa3072_signature(tmp.path() / ("botan-" + std::to_string(round))));
    for (std::size_t i = 0; i < s.cas.size(); ++i) {
      // Alternate which CA goes first, so neither always meets the same moment of the machine.
      const std::size_t c = round % 2 == 0 ? i : s.cas.size() - 1 - i;
      const auto& ca = s.cas[c];
      const auto root = tmp.path() / ("r" + std::to_string(round) + "-" + ca.issuing_key);
      std::filesystem::create_directories(root);
      auto dir = std::make_unique<InkanDir>(bin, root);
      std::printf("\n== round %d, issuing CA %s (root %s)\n", round + 1, ca.issuing_key.c_str(), ca.root_key.c_str());
      dir->init(ca.root_key, ca.issuing_key, {"bench"});
      auto creds = dir->issue_in_window("bench", wanted(s, "renew") ? s.renewals + 1 : 1, 30, "client", s.p12_profile);
      const auto portal_cred = creds.front();
      creds.erase(creds.begin());
      {
        ServeProcess serve(*dir);
        serve.wait_until_serving(*portal_cred, 120);
        if (wanted(s, "handshake")) figures[c].handshakes.push_back(handshake_part(*dir, serve, *portal_cred, s));
        if (wanted(s, "keepalive")) keepalive_part(serve, *portal_cred, s);
        if (wanted(s, "renew")) figures[c].renewals.push_back(renew_part(serve, creds, s));
        if (const int rc = serve.stop(); rc != 0) throw std::runtime_error("inkan serve exited with " + std::to_string(rc));
      }
      if (c == 0) small = std::move(dir), small_cred = portal_cred;
    }
  }
  if (wanted(s, "handshake") || wanted(s, "renew")) print_summary(s, figures, refs);
  if (wanted(s, "cold")) {
    if (!small) {
      std::filesystem::create_directories(tmp.path() / "small");
      small = std::make_unique<InkanDir>(bin, tmp.path() / "small");
      small->init(s.cas[0].root_key, s.cas[0].issuing_key, {"bench"});
      small_cred = small->issue_in_window("bench", 1, 30, "client").front();
    }
    cold_part(bin, *small, *small_cred, s, s.cas[0]);
  }
  std::fflush(stdout);
  return 0;
}

const bool registered = register_benchmark(
    {"server", "portal handshakes vs openssl s_server, API renewals (8 clients), cold start at 1M certificates",
     "inkan-bench server [--inkan PATH] [--only handshake|keepalive|renew|cold] [--cas ec-p256,rsa-3072] [--repeat R]\n"
     "                   [--root-key K] [--issuing-key K]\n"
     "                   [--p12-profile compat|modern] [--threads T] [--seconds S] [--rounds R]\n"
     "                   [--renewals N] [--rows N] [--repeats R] [--keep yes]\n"
     "  --inkan defaults to $INKAN_BIN. Defaults: all four parts; the handshake, keep-alive and renewal parts with both\n"
     "  issuing CAs (--cas): ec-p256 (ec-p256 root) and rsa-3072 (rsa-4096 root, inkan init's default), in\n"
     "  alternating order, --repeat rounds of each, then medians, the rsa-3072 CA's rate as a share of the\n"
     "  ec-p256 CA's and its extra server CPU in RSA-3072 signatures (botan speed and in process, each round).\n"
     "  --root-key/--issuing-key: one CA of those keys instead. The cold start uses the first CA.\n"
     "  the clients' p12 profile compat (issuance's default; a renewal keeps it); handshakes: 4 client\n"
     "  threads, 3 rounds of 5 s per server; keep-alive: 100 requests (serve's limit) for each of GET /, /ca.pem and /api/v1/me\n"
     "  on one kept connection; 2400 renewals by 8 clients; cold start: 1000000 rows, 3 repeats.\n",
     run});

}  // namespace
}  // namespace inkan::bench
