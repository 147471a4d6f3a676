#pragma once
// The plain-HTTP listener of `inkan serve --ocsp-listen`, without cpp-httplib: relying parties
// (nginx) open a connection per OCSP check, and with cpp-httplib each one cost an accept-thread →
// connection-thread → handler-thread hop (two futex wake-ups and context switches) and an
// access-log line, twice the server CPU of `openssl ocsp -port` (docs/benchmarks.md, "OCSP
// responder"). Here a few event-loop threads (epoll) accept, read and parse (http1_request.hpp),
// and answer on the spot what `quick` answers without blocking: the pre-produced OCSP responses.
// Everything else (a nonce to sign, a CRL) goes to a pool of `ServerLimits::threads` handler
// threads, and its response back to the loop. Keep-alive for HTTP/1.1 (and 1.0 asking for it),
// up to keep_alive_max_requests; every request must arrive whole within read_timeout_s (a slow
// client holds a few bytes of memory, never a thread); idle keep-alive connections close after
// keep_alive_timeout_s. Requests answered by `quick` are counted (metrics, exactly) and logged as
// one summary line every 10 s; the others get the usual access-log line.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "web/http/http.hpp"
#include "web/server/https_server.hpp"

namespace inkan::web {

// Called on an event-loop thread: must not block (no database, no signature). nullopt: the
// request goes to the handler threads.
using QuickHandler = std::function<std::optional<Response>(const Request&)>;

class PlainHttpServer {
 public:
  explicit PlainHttpServer(const ServerLimits& limits);
  ~PlainHttpServer();
  PlainHttpServer(const PlainHttpServer&) = delete;
  PlainHttpServer& operator=(const PlainHttpServer&) = delete;

  // Throws Error(Io) naming the address when the port cannot be bound.
  void bind(const std::string& host, int port);
  // Serves until stop().
  void run(Handler handler, QuickHandler quick);
  // Stops accepting and closes the connections; handlers already running finish. Safe from any
  // thread, before or during run().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inkan::web
