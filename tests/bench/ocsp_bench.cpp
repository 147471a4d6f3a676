// inkan-bench ocsp: the OCSP responder of `inkan serve --ocsp-listen` under load, against
// `openssl ocsp -index ... -port` on the same certificates in the same run.
//   1. Cached responses per second: C client threads, each POSTing SHA-1 single-CertID requests
//      without a nonce (nginx's kind) over a new HTTP/1.0 connection per request (as nginx does),
//      then over HTTP/1.1 keep-alive connections (kept where the server keeps them), for S seconds
//      per round, alternating inkan and openssl; latency percentiles per request; the CPU time
//      per response of the server and of the clients (this process, on the same cores).
//      The CA's key type is `--ca-key` (default rsa-3072, what `inkan init` makes). openssl's
//      responder gets a delegated responder certificate with a key of the CA's type, as an
//      operator makes one with `openssl req`, and signs every request; inkan's delegated
//      responder is EC P-256 whatever the CA, and answers from its pre-produced cache. With
//      `--ca-key ec-p256` both sign alike, which leaves openssl only its per-request signature.
//   2. Revocation freshness: `inkan revoke` in another process, then polling (one request every
//      5 ms) until the responder says revoked: the delay from the command's return.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"
#include "tests/bench/http_load.hpp"
#include "tests/bench/measure.hpp"
#include "tests/bench/tls_load.hpp"

namespace inkan::bench {
namespace {

struct Settings {
  int clients = 8;
  int client_threads = 2;  // the epoll threads driving the clients' connections (http_load.hpp)
  double seconds = 5;
  int rounds = 3;
  int certificates = 200;
  int revocations = 5;
  int openssl_processes = 1;  // openssl ocsp -multi N (1 = its default, one process)
  std::string ca_key = "rsa-3072";  // root and issuing CA, and openssl's responder key
  std::vector<bool> modes{false, true};  // connection per request (nginx), then keep-alive
};

Settings parse(const Options& o) {
  Settings s;
  const auto& a = o.args;
  s.clients = std::stoi(arg_value(a, "--clients", "8"));
  s.client_threads = std::stoi(arg_value(a, "--client-threads", "2"));
  s.seconds = std::stod(arg_value(a, "--seconds", "5"));
  s.rounds = std::stoi(arg_value(a, "--rounds", "3"));
  s.certificates = std::stoi(arg_value(a, "--certificates", "200"));
  s.revocations = std::stoi(arg_value(a, "--revocations", "5"));
  s.openssl_processes = std::stoi(arg_value(a, "--openssl-multi", "1"));
  s.ca_key = arg_value(a, "--ca-key", "rsa-3072");
  const auto mode = arg_value(a, "--connections", "both");
  if (mode == "per-request") s.modes = {false};
  else if (mode == "keep-alive") s.modes = {true};
  else if (mode != "both") throw std::runtime_error("--connections: per-request, keep-alive or both");
  if (o.smoke) s.clients = 2, s.seconds = 0.5, s.rounds = 1, s.certificates = 8, s.revocations = 1;
  return s;
}

using Der = std::string;

Der request_for(X509* cert, X509* issuer) {
  OCSP_REQUEST* req = OCSP_REQUEST_new();
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), cert, issuer);
  if (!req || !id || !OCSP_request_add0_id(req, id)) throw std::runtime_error("cannot build an OCSP request");
  unsigned char* buf = nullptr;
  const int len = i2d_OCSP_REQUEST(req, &buf);
  Der out(reinterpret_cast<char*>(buf), static_cast<std::size_t>(len));
  OPENSSL_free(buf);
  OCSP_REQUEST_free(req);
  return out;
}

// One POST over a new connection, HTTP/1.0 (set-up and revocation polling); the response
// body, or empty on any failure.
std::string post(int port, const Der& der) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval timeout{10, 0};  // a stuck responder counts as a failure, never hangs the bench
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string msg = "POST /ocsp HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/ocsp-request\r\n"
                      "Content-Length: " + std::to_string(der.size()) + "\r\n\r\n" + der;
    if (::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(msg.size())) {
      char buf[8192];
      ssize_t n;
      while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  const auto body = out.find("\r\n\r\n");
  if (out.rfind("HTTP/1.", 0) != 0 || out.find(" 200 ") == std::string::npos || body == std::string::npos) return {};
  return out.substr(body + 4);
}

// A successful OCSPResponse, checked cheaply: SEQUENCE { ENUMERATED 0, [0] responseBytes }. The
// load parses only every 64th answer with OpenSSL: d2i_OCSP_RESPONSE on every
// one made the client (on the same two cores) the bottleneck, with OpenSSL 3.0's lock contention
// across its eight threads.
bool looks_successful(const std::string& der) {
  if (der.size() < 8 || static_cast<unsigned char>(der[0]) != 0x30) return false;
  const auto len = static_cast<unsigned char>(der[1]);
  const std::size_t header = len < 0x80 ? 2 : 2 + (len & 0x7f);
  return der.size() > header + 4 && der.compare(header, 4, std::string("\x0a\x01\x00\xa0", 4)) == 0;
}

// V_OCSP_CERTSTATUS_* of the first answer of a successful response, -1 otherwise.
int status_of(const std::string& body) {
  const auto* p = reinterpret_cast<const unsigned char*>(body.data());
  OCSP_RESPONSE* resp = d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(body.size()));
  if (!resp) return -1;
  int status = -1;
  if (OCSP_response_status(resp) == OCSP_RESPONSE_STATUS_SUCCESSFUL)
    if (OCSP_BASICRESP* basic = OCSP_response_get1_basic(resp)) {
      if (OCSP_SINGLERESP* single = OCSP_resp_get0(basic, 0))
        status = OCSP_single_get0_status(single, nullptr, nullptr, nullptr, nullptr);
      OCSP_BASICRESP_free(basic);
    }
  OCSP_RESPONSE_free(resp);
  return status;
}

struct LoadResult {
  double per_second = 0;
  double server_cpu_ms = 0;  // the responder process's CPU time per response
  double client_cpu_ms = 0;  // this process's (the clients') CPU time per response
  Percentiles latency_ms;
  std::int64_t failures = 0;
};

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

LoadResult load(int port, pid_t server, const std::vector<Der>& requests, const Settings& s, bool keep_alive) {
  const double cpu_before = process_cpu_seconds(server);
  const double own_before = own_cpu_seconds();
  const auto start = Clock::now();
  HttpLoadSettings settings;
  settings.port = port;
  settings.clients = s.clients;
  settings.threads = s.client_threads;
  settings.keep_alive = keep_alive;
  settings.seconds = s.seconds;
  auto out = run_http_load(settings, requests, [](const std::string& body, bool full) {
    return full ? status_of(body) == V_OCSP_CERTSTATUS_GOOD : looks_successful(body);
  });
  LoadResult r;
  r.per_second = static_cast<double>(out.latencies_ms.size()) / seconds_since(start);
  r.latency_ms = percentiles(out.latencies_ms);
  r.failures = out.failures;
  const double answered = std::max<double>(1, static_cast<double>(out.latencies_ms.size()));
  r.server_cpu_ms = (process_cpu_seconds(server) - cpu_before) * 1000 / answered;
  r.client_cpu_ms = (own_cpu_seconds() - own_before) * 1000 / answered;
  return r;
}

std::string index_time(const ASN1_TIME* t) {
  struct tm tm {};
  ASN1_TIME_to_tm(t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  return buf;
}

std::string serial_hex(X509* x) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string out = hex;
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

// Runs argv with its stdout into `out`; throws when it fails.
void to_file(const std::vector<std::string>& argv, const std::filesystem::path& out) {
  Child child(argv, out, out.string() + ".err");
  if (child.wait() != 0) throw std::runtime_error(argv.front() + " failed: " + read_file(out.string() + ".err"));
}

void print_load(const char* who, const LoadResult& r) {
  std::printf("  %-28s %7.0f responses/s  CPU/response: server %.3f ms, clients %.3f ms  p50 %5.2f ms  p99 %6.2f ms"
              "  max %7.2f ms  failures %lld\n",
              who, r.per_second, r.server_cpu_ms, r.client_cpu_ms, r.latency_ms.p50, r.latency_ms.p99, r.latency_ms.max,
              static_cast<long long>(r.failures));
  std::fflush(stdout);
}

// `openssl req` arguments for a new key of inkan's key type name.
std::vector<std::string> openssl_newkey(const std::string& type) {
  if (type == "ec-p256") return {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"};
  if (type == "ec-p384") return {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"};
  if (type.rfind("rsa-", 0) == 0) return {"-newkey", "rsa:" + type.substr(4)};
  throw std::runtime_error("--ca-key: no openssl key for " + type + " (rsa-2048, rsa-3072, rsa-4096, ec-p256, ec-p384)");
}

void wait_for_port(int port, const std::string& what) {
  for (int i = 0; i < 600; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (ok) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error(what + " did not listen on port " + std::to_string(port));
}

int run_bench(const Options& options) {
  const auto s = parse(options);
  const auto binary = inkan_binary(options.args);
  std::printf("%s\n", to_string(describe_machine()).c_str());
  TempDir tmp("inkan-bench-ocsp");
  InkanDir dir(binary, tmp.path());
  dir.init(s.ca_key, s.ca_key, {"bench"});
  std::printf("CA keys %s; openssl's responder key %s; inkan's responder key ec-p256\n", s.ca_key.c_str(),
              s.ca_key.c_str());
  auto creds = dir.issue_in_window("bench", s.certificates + s.revocations, 900, "ocsp");
  // The issuing CA, and a delegated responder for openssl made the way inkan makes its own.
  const auto issuing_pem = tmp.path() / "issuing.pem";
  to_file(dir.command({"ca", "cert"}), issuing_pem);
  FILE* f = std::fopen(issuing_pem.c_str(), "r");
  X509* issuer = f ? PEM_read_X509(f, nullptr, nullptr, nullptr) : nullptr;
  if (f) std::fclose(f);
  if (!issuer) throw std::runtime_error("cannot read the issuing CA certificate");

  std::vector<Der> requests;
  for (int i = 0; i < s.certificates; ++i) requests.push_back(request_for(static_cast<X509*>(creds[i]->cert), issuer));

  const int ocsp_port = free_loopback_port();
  ServeProcess serve(dir, {"--ocsp-listen", "127.0.0.1:" + std::to_string(ocsp_port)});
  wait_for_port(ocsp_port, "inkan serve --ocsp-listen");
  std::fprintf(stderr, "inkan serve is up; signing the first answers\n");
  for (const auto& r : requests)  // the first answer of each signs it; from then on it is cached
    if (status_of(post(ocsp_port, r)) != V_OCSP_CERTSTATUS_GOOD) throw std::runtime_error("inkan: not good");

  std::fprintf(stderr, "setting up openssl ocsp\n");
  // openssl's responder: the same certificates in an index, a responder key of the same type.
  const auto ca_key = tmp.path() / "ca-key.pem";
  {
    // The CA key, decrypted into a 0600 file of this temporary directory (0700) only.
    to_file({"/usr/bin/sqlite3", dir.database().string(), "SELECT encrypted_key_pem FROM cas WHERE role = 'issuing' AND active = 1"},
            tmp.path() / "ca-key-enc.pem");
    write_private_file(ca_key, "");
    run_checked({"/usr/bin/openssl", "pkcs8", "-in", (tmp.path() / "ca-key-enc.pem").string(), "-passin",
                 "file:" + dir.passphrase_file().string(), "-out", ca_key.string()},
                tmp.path());
  }
  const auto rkey = tmp.path() / "responder.key", rcsr = tmp.path() / "responder.csr", rcert = tmp.path() / "responder.pem";
  const auto ext = tmp.path() / "responder.ext";
  write_private_file(ext, "extendedKeyUsage=OCSPSigning\nnoCheck=ignored\nkeyUsage=critical,digitalSignature\n");
  std::vector<std::string> responder_req{"/usr/bin/openssl", "req", "-new"};
  for (auto& word : openssl_newkey(s.ca_key)) responder_req.push_back(word);
  responder_req.insert(responder_req.end(), {"-nodes", "-keyout", rkey.string(), "-out", rcsr.string(), "-subj", "/CN=openssl OCSP responder"});
  run_checked(responder_req, tmp.path());
  run_checked({"/usr/bin/openssl", "x509", "-req", "-in", rcsr.string(), "-CA", issuing_pem.string(), "-CAkey", ca_key.string(),
               "-CAcreateserial", "-days", "7", "-extfile", ext.string(), "-out", rcert.string()},
              tmp.path());
  std::string index;
  for (const auto& c : creds) {
    auto* x = static_cast<X509*>(c->cert);
    index += "V\t" + index_time(X509_get0_notAfter(x)) + "\t\t" + serial_hex(x) + "\tunknown\t/CN=" + serial_hex(x) + "\n";
  }
  write_private_file(tmp.path() / "index.txt", index);
  const int openssl_port = free_loopback_port();
  std::vector<std::string> openssl_cmd{"/usr/bin/openssl", "ocsp", "-index", (tmp.path() / "index.txt").string(), "-port",
                                       std::to_string(openssl_port), "-rsigner", rcert.string(), "-rkey", rkey.string(),
                                       "-CA", issuing_pem.string(), "-nmin", "60", "-ignore_err", "-timeout", "5"};
  if (s.openssl_processes > 1) {
    openssl_cmd.push_back("-multi");
    openssl_cmd.push_back(std::to_string(s.openssl_processes));
  }
  Child openssl(openssl_cmd, tmp.path() / "openssl-ocsp.out", tmp.path() / "openssl-ocsp.log");
  // Waited for with real requests: openssl's one-process server would sit on an empty probe
  // connection.
  int first = -1;
  for (int i = 0; i < 300 && first < 0; ++i) {
    first = status_of(post(openssl_port, requests.front()));
    if (first < 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (first != V_OCSP_CERTSTATUS_GOOD)
    throw std::runtime_error("openssl ocsp: not good: " + read_file(tmp.path() / "openssl-ocsp.log") +
                             read_file(tmp.path() / "openssl-ocsp.out"));

  for (const bool keep_alive : s.modes) {
    std::printf("cached responses, %d clients, %s, %d certificates, %d x %.1f s\n", s.clients,
                keep_alive ? "HTTP/1.1 keep-alive where the server keeps it" : "new HTTP/1.0 connection per request (nginx)",
                s.certificates, s.rounds, s.seconds);
    std::vector<double> inkan_rates, openssl_rates, inkan_p99, inkan_cpu, openssl_cpu;
    for (int round = 0; round < s.rounds; ++round) {
      auto a = load(ocsp_port, serve.pid(), requests, s, keep_alive);
      print_load("inkan serve --ocsp-listen", a);
      auto b = load(openssl_port, openssl.pid(), requests, s, keep_alive);
      print_load(s.openssl_processes > 1 ? "openssl ocsp -index -multi" : "openssl ocsp -index -port", b);
      inkan_rates.push_back(a.per_second);
      openssl_rates.push_back(b.per_second);
      inkan_p99.push_back(a.latency_ms.p99);
      inkan_cpu.push_back(a.server_cpu_ms);
      openssl_cpu.push_back(b.server_cpu_ms);
    }
    const double ratio = median(inkan_rates) / std::max(1.0, median(openssl_rates));
    std::printf("  median: inkan %.0f/s, openssl %.0f/s: %.1fx; inkan p99 (median of rounds) %.2f ms\n",
                median(inkan_rates), median(openssl_rates), ratio, median(inkan_p99));
    std::printf("  server CPU per response (median): inkan %.3f ms, openssl %.3f ms: openssl needs %.1fx inkan's\n",
                median(inkan_cpu), median(openssl_cpu), median(openssl_cpu) / std::max(1e-9, median(inkan_cpu)));
  }
  openssl.stop(SIGTERM);

  std::printf("revocation freshness (inkan revoke in another process, then a request every 5 ms)\n");
  std::vector<double> delays;
  for (int i = 0; i < s.revocations; ++i) {
    auto* x = static_cast<X509*>(creds[static_cast<std::size_t>(s.certificates + i)]->cert);
    const auto req = request_for(x, issuer);
    if (status_of(post(ocsp_port, req)) != V_OCSP_CERTSTATUS_GOOD) throw std::runtime_error("not good before revoke");
    dir.run({"revoke", serial_hex(x), "--reason", "keyCompromise"});
    const auto t0 = Clock::now();
    while (status_of(post(ocsp_port, req)) != V_OCSP_CERTSTATUS_REVOKED) {
      if (seconds_since(t0) > 30) throw std::runtime_error("the revocation was not served within 30 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    delays.push_back(seconds_since(t0) * 1000);
    std::printf("  revocation %d served %.0f ms after `inkan revoke` returned\n", i + 1, delays.back());
  }
  const auto d = percentiles(delays);
  std::printf("  median %.0f ms, max %.0f ms (the responder polls the status change log every 200 ms)\n", d.p50, d.max);
  X509_free(issuer);
  serve.stop();
  return 0;
}

const bool registered = register_benchmark(
    {"ocsp", "OCSP responder: cached responses/s (8 clients) vs openssl ocsp -index, revocation freshness",
     "inkan-bench ocsp [--inkan PATH] [--clients C] [--seconds S] [--rounds R] [--certificates N]\n"
     "                 [--revocations N] [--openssl-multi N] [--connections per-request|keep-alive|both]\n"
     "                 [--client-threads T] [--ca-key rsa-3072|rsa-2048|rsa-4096|ec-p256|ec-p384]\n"
     "  --inkan defaults to $INKAN_BIN. Defaults: 8 clients, 3 rounds of 5 s per responder, 200 certificates,\n"
     "  5 revocations; openssl ocsp as one process (--openssl-multi 2: two). --connections: a new HTTP/1.0\n"
     "  connection per request as nginx does, HTTP/1.1 keep-alive (openssl ocsp closes after each answer\n"
     "  anyway), or both (default), each with the same client and requests for both responders. The C\n"
     "  clients are connections driven by T epoll threads (default 2), each with one request in flight.\n"
     "  --ca-key: the root and issuing CA keys (default rsa-3072, as `inkan init`), and the key type of\n"
     "  openssl's delegated responder certificate; inkan's responder key is EC P-256 in every case.\n",
     run_bench});

}  // namespace
}  // namespace inkan::bench
