#pragma once
// The HTTPS server: cpp-httplib's request parsing and routing on our own OpenSSL 3 connection loop
// (tls_connection.hpp, with the request-head bounds of request_head_guard.hpp), behind a small
// interface, so that httplib.h is compiled in one translation unit (https_server.cpp).
#include <memory>
#include <string>
#include <vector>

#include "web/http/http.hpp"
#include "web/server/tls_context.hpp"

namespace inkan::web {

struct ServerLimits {
  std::size_t max_body_bytes = 64 * 1024;  // CSRs, JSON and forms are small
  std::size_t max_headers = 100;            // header lines of one request: more is 431
  std::size_t max_header_bytes = 64 * 1024; // their bytes in all: more is 431
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  int keep_alive_timeout_s = 5;
  int keep_alive_max_requests = 100;
  int threads = 8;
};

class HttpsServer {
 public:
  // With `tls` null the server speaks plain HTTP (the OCSP listener: its answers are signed).
  HttpsServer(const ServerLimits& limits, std::shared_ptr<TlsState> tls);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Throws Error(Io) naming the address when the port cannot be bound.
  void bind(const std::string& host, int port);
  // Serves until stop(); every request goes to `handler`; one access-log line per request
  // goes to stderr.
  void run(Handler handler);
  // Stops accepting; requests in progress finish. Safe from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inkan::web
