// The only translation unit that includes httplib.h.
#include "web/server/https_server.hpp"
#include "web/server/handler_pool.hpp"
#include "web/server/listen_backlog.hpp"
#include "web/server/request_head_guard.hpp"
#include "web/server/tls_connection.hpp"
#include "web/http/log_field.hpp"
#include "web/http/router.hpp"
#include "web/monitoring/metrics_registry.hpp"
#include "web/monitoring/route_family.hpp"

#include <httplib.h>
#include <netdb.h>
#include <openssl/bn.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "ca/domain/error.hpp"

namespace inkan::web {
namespace {

using Stopwatch = std::chrono::steady_clock;

// Set when a request reaches our handler, read by the access logger on the same worker thread.
thread_local std::optional<Stopwatch::time_point> t_request_start;
// Set when the head guard refused the request on this connection thread: cpp-httplib then logs
// the 400 it thinks it sent, the client got our 431.
thread_local int t_head_refused = 0;  // the status we sent

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}

X509* peer_of(const httplib::Request& req) {
  return req.ssl ? SSL_get0_peer_certificate(req.ssl) : nullptr;
}

std::string serial_of(X509* cert) {
  if (!cert) return "-";
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (!bn) return "?";
  char* hex = BN_bn2hex(bn);
  std::string out = hex ? hex : "?";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::optional<Bytes> verified_peer_der(const httplib::Request& req, bool& rejected) {
  rejected = false;
  X509* cert = peer_of(req);
  if (!cert) return std::nullopt;
  if (!peer_certificate_acceptable(SSL_get_verify_result(req.ssl))) {
    rejected = true;
    return std::nullopt;
  }
  int len = i2d_X509(cert, nullptr);
  if (len <= 0) return std::nullopt;
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  i2d_X509(cert, &p);
  return der;
}

Request to_request(const httplib::Request& in) {
  Request r;
  r.method = in.method;
  r.path = in.path;
  for (const auto& [k, v] : in.params) r.query.emplace(k, v);
  for (const auto& [k, v] : in.headers) r.headers.emplace(lower(k), v);
  r.body = in.body;
  r.remote_addr = in.remote_addr;
  r.client_cert_der = verified_peer_der(in, r.client_cert_rejected);
  return r;
}

void from_response(const Response& in, httplib::Response& out) {
  out.status = in.status;
  for (const auto& [k, v] : in.headers) out.headers.emplace(k, v);
  out.set_content(in.body, in.content_type.c_str());
}

// cpp-httplib 0.11 keeps each connection on one thread of its pool from the TLS handshake to the
// last keep-alive request, and its timeouts bound each read (10 s), not a whole request head: a
// client that sends a header line every few seconds keeps its thread as long as it likes. With
// the pool at 8 threads, 8 such connections stopped the server for everyone (campaign
// tests/campaigns/slowloris.py). Waiting on slow clients is cheap, handling requests is not; so
// the connection pool has kConnectionThreadsPerHandler threads per handler thread, and the
// handlers (the database connections, keys and CPU of ServerLimits::threads) run on the
// HandlerPool's `threads` threads, as before.
constexpr std::size_t kConnectionThreadsPerHandler = 16;

std::string numeric_host(const sockaddr_storage& addr, socklen_t len, int& port) {
  char host[NI_MAXHOST], serv[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv, sizeof serv,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return {};
  port = std::atoi(serv);
  return host;
}

// 431 for the headers, 414 for a request line that never ends.
std::string refusal(RequestHeadGuard::Verdict why) {
  const std::string reason = why == RequestHeadGuard::Verdict::RequestLineTooLong ? "414 URI Too Long"
                                                                                  : "431 Request Header Fields Too Large";
  const std::string body = reason.substr(4) + "\n";
  std::string r = "HTTP/1.1 " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : baseline_security_headers()) r += name + ": " + value + "\r\n";
  return r + "\r\n" + body;
}

// What cpp-httplib reads one request from: the TLS connection, every byte going through the head
// guard. When the head crosses a limit the client gets 431 at once, the read fails (so cpp-httplib
// stops before storing more) and whatever cpp-httplib then writes (its 400) is discarded.
class GuardedStream final : public httplib::Stream {
 public:
  GuardedStream(TlsConnection& conn, const HeadLimits& limits, TlsTimeouts timeouts)
      : conn_(conn), guard_(limits), timeouts_(timeouts) {}

  bool refused() const { return refused_; }

  bool is_readable() const override { return !refused_ && conn_.wait_readable(timeouts_.read_s); }
  bool is_writable() const override { return !refused_ && conn_.wait_writable(timeouts_.write_s); }

  ssize_t read(char* ptr, size_t size) override {
    if (refused_) return -1;
    const auto n = conn_.read(ptr, size);
    const auto verdict = n > 0 ? guard_.feed(ptr, static_cast<std::size_t>(n)) : guard_.verdict();
    if (verdict == RequestHeadGuard::Verdict::TooLarge || verdict == RequestHeadGuard::Verdict::RequestLineTooLong) {
      refused_ = true;
      t_head_refused = verdict == RequestHeadGuard::Verdict::TooLarge ? 431 : 414;
      const auto answer = refusal(verdict);
      conn_.write(answer.data(), answer.size());
      return -1;
    }
    return n;
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (refused_) return static_cast<ssize_t>(size);
    return conn_.write(ptr, size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(conn_.fd(), reinterpret_cast<sockaddr*>(&addr), &len) == 0) ip = numeric_host(addr, len, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(conn_.fd(), reinterpret_cast<sockaddr*>(&addr), &len) == 0) ip = numeric_host(addr, len, port);
  }
  socket_t socket() const override { return conn_.fd(); }

 private:
  TlsConnection& conn_;
  RequestHeadGuard guard_;
  TlsTimeouts timeouts_;
  bool refused_ = false;
};

// cpp-httplib's server with our own TLS connection loop in place of SSLServer's, so that each
// request's head passes the RequestHeadGuard (cpp-httplib 0.11 bounds a header line, not their
// number or sum: issue 14 item 2). Server::process_request (protected) still parses and routes;
// the loop mirrors SSLServer's: handshake, then keep-alive requests up to the configured count.
class GuardedTlsServer final : public httplib::Server {
 public:
  explicit GuardedTlsServer(const std::function<bool(SSL_CTX&)>& setup) : ctx_(SSL_CTX_new(TLS_server_method())) {
    if (ctx_ && !setup(*ctx_)) {
      SSL_CTX_free(ctx_);
      ctx_ = nullptr;
    }
  }
  ~GuardedTlsServer() override {
    if (ctx_) SSL_CTX_free(ctx_);
  }
  bool is_valid() const override { return ctx_ != nullptr; }
  void set_head_limits(HeadLimits limits) { limits_ = limits; }

 private:
  bool process_and_close_socket(socket_t sock) override {
    bool ret = false;
    metrics().connection_opened();
    {
      const TlsTimeouts timeouts{static_cast<int>(read_timeout_sec_), static_cast<int>(write_timeout_sec_)};
      TlsConnection conn(sock, ctx_, timeouts);
      const bool shook = conn.handshake();
      if (!shook) metrics().handshake_failed(handshake_failure_of(conn.ssl(), conn.handshake_timed_out()));
      if (shook) {
        for (auto count = keep_alive_max_count_;
             svr_sock_ != INVALID_SOCKET && count > 0 && conn.wait_readable(static_cast<int>(keep_alive_timeout_sec_));
             --count) {
          GuardedStream strm(conn, limits_, timeouts);
          bool connection_closed = false;
          ret = process_request(strm, count == 1, connection_closed,
                                [&conn](httplib::Request& req) { req.ssl = conn.ssl(); });
          if (strm.refused()) {
            conn.close_after_refusal();
            ret = false;
            break;
          }
          if (!ret || connection_closed) break;
        }
      }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    metrics().connection_closed();
    return ret;
  }

  SSL_CTX* ctx_;
  HeadLimits limits_;
};

}  // namespace

struct HttpsServer::Impl {
  std::shared_ptr<TlsState> tls;
  std::unique_ptr<HandlerPool> handlers;  // outlives the server's connection threads
  // The guarded TLS server, or plain HTTP when tls is null (the OCSP listener: its answers are
  // signed; cpp-httplib's own head limits apply there).
  std::unique_ptr<httplib::Server> server_ptr;
  httplib::Server& server;
  std::mutex log_mutex;
  explicit Impl(std::shared_ptr<TlsState> t)
      : tls(std::move(t)),
        server_ptr(tls ? std::unique_ptr<httplib::Server>(std::make_unique<GuardedTlsServer>(
                             [this](SSL_CTX& ctx) { return tls->configure(ctx); }))
                       : std::make_unique<httplib::Server>()),
        server(*server_ptr) {}
};

HttpsServer::HttpsServer(const ServerLimits& limits, std::shared_ptr<TlsState> tls)
    : impl_(std::make_unique<Impl>(std::move(tls))) {
  auto& s = impl_->server;
  if (!s.is_valid()) throw Error(ErrorCode::Crypto, "cannot set up the TLS context");
  s.set_payload_max_length(limits.max_body_bytes);
  if (auto* guarded = dynamic_cast<GuardedTlsServer*>(&s))
    guarded->set_head_limits(HeadLimits{.max_headers = limits.max_headers, .max_header_bytes = limits.max_header_bytes});
  // cpp-httplib 0.11 enforces the payload limit only for bodies announced by Content-Length (it
  // discards the excess, then answers 413). A chunked body, or a POST without Content-Length, is
  // read into memory without any limit: a client without a certificate could make the server
  // buffer gigabytes (campaign tests/campaigns/oversized_bodies.py). Refuse both before any body
  // is read: 411 Length Required. Our clients (browsers, curl, EST) always send Content-Length.
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    const bool has_body_method = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
    if (req.has_header("Transfer-Encoding") || (has_body_method && !req.has_header("Content-Length"))) {
      res.status = 411;
      res.set_header("Connection", "close");
      res.set_content("Length Required\n", "text/plain; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors cpp-httplib answers without reaching the router (411 above, 413, 400) carry the same
  // security headers as ours; responses that already have them are left alone.
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        for (const auto& [name, value] : baseline_security_headers())
          if (!res.has_header(name.c_str())) res.set_header(name.c_str(), value);
        return httplib::Server::HandlerResponse::Unhandled;
      }));
  // SO_REUSEADDR only: restarts need not wait out TIME_WAIT, but a second process cannot bind a
  // port that a running server holds. cpp-httplib's default sets SO_REUSEPORT, with which Linux
  // let two `inkan serve` listen on one port and split the connections between them.
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // A response goes out in several writes (TLS records of the head and the body): with Nagle's
  // algorithm, each answer on a kept connection waited for the client's delayed ACK, 40 ms.
  // Accepted sockets inherit TCP_NODELAY from the listening one.
  s.set_tcp_nodelay(true);
  s.set_read_timeout(limits.read_timeout_s, 0);
  s.set_write_timeout(limits.write_timeout_s, 0);
  s.set_keep_alive_timeout(limits.keep_alive_timeout_s);
  s.set_keep_alive_max_count(static_cast<std::size_t>(limits.keep_alive_max_requests));
  const auto threads = static_cast<std::size_t>(std::max(1, limits.threads));
  impl_->handlers = std::make_unique<HandlerPool>(threads);
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads * kConnectionThreadsPerHandler); };
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    std::string ms = "-";
    const int status = t_head_refused ? t_head_refused : res.status;
    t_head_refused = 0;
    if (t_request_start) {
      ms = std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(Stopwatch::now() - *t_request_start).count());
      t_request_start.reset();
    }
    // The path only: query strings never reach the log.
    // Every field escaped (log_field): a path with CR, LF or ESC cannot forge a line or drive a terminal.
    std::string line = log_field(req.remote_addr) + " \"" + log_field(req.method) + " " + log_field(req.path) + "\" " +
                       std::to_string(status) + " " + std::to_string(res.body.size()) + " " + ms +
                       "ms serial=" + log_field(serial_of(peer_of(req))) + "\n";
    std::lock_guard lock(impl_->log_mutex);
    std::cerr << "inkan serve: " << line << std::flush;
  });
}

HttpsServer::~HttpsServer() = default;

void HttpsServer::bind(const std::string& host, int port) {
  if (!impl_->server.bind_to_port(host.c_str(), port))
    throw Error(ErrorCode::Io, "cannot listen on " + host + ":" + std::to_string(port) +
                                   " (address in use, or not an address of this host)");
  if (raise_listen_backlog(port) == 0)
    std::cerr << "inkan serve: warning: the listen backlog stays at cpp-httplib's 5; bursts of new connections "
                 "may wait 1 s for a SYN retry\n";
}

void HttpsServer::run(Handler handler) {
  auto dispatch = [this, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    const auto started = Stopwatch::now();
    t_request_start = started;
    auto request = to_request(req);
    from_response(impl_->handlers->run<Response>([&handler, &request] { return handler(request); }), res);
    metrics().request(route_family(req.path), res.status,
                      std::chrono::duration_cast<std::chrono::microseconds>(Stopwatch::now() - started));
  };
  auto& s = impl_->server;
  for (const char* pattern : {R"(/.*)"}) {
    s.Get(pattern, dispatch);
    s.Post(pattern, dispatch);
    s.Put(pattern, dispatch);
    s.Delete(pattern, dispatch);
    s.Patch(pattern, dispatch);
    s.Options(pattern, dispatch);
  }
  impl_->server.listen_after_bind();
}

void HttpsServer::stop() { impl_->server.stop(); }

}  // namespace inkan::web
