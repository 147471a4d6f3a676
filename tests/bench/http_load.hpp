#pragma once
// An HTTP/1.x load generator for small POSTs (inkan-bench ocsp): C client connections, each with
// one request in flight, driven by a few threads with epoll rather than a thread per client.
// With a blocking thread per client, the clients' context switches cost as much CPU as the
// server they measure, on the same two cores. Either a new HTTP/1.0 connection per request (as
// nginx checks OCSP) or HTTP/1.1 keep-alive where the server keeps the connection.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace inkan::bench {

struct HttpLoadSettings {
  int port = 0;
  std::string path = "/ocsp";
  std::string content_type = "application/ocsp-request";
  int clients = 8;
  int threads = 2;
  bool keep_alive = false;
  double seconds = 5;
};

struct HttpLoadResult {
  std::vector<double> latencies_ms;  // one per answered request
  std::int64_t failures = 0;         // not a 200, a broken connection, or `check` said no
};

// POSTs bodies[i % size] from every client in turn; `check(body, full)` judges each 200 answer
// (full: a sampled one worth a thorough check).
HttpLoadResult run_http_load(const HttpLoadSettings& settings, const std::vector<std::string>& bodies,
                             const std::function<bool(const std::string& body, bool full)>& check);

}  // namespace inkan::bench
