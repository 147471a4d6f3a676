#include "web/server/plain_http_server.hpp"
#include "web/server/handler_pool.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ca/domain/error.hpp"
#include "web/http/log_field.hpp"
#include "web/http/router.hpp"
#include "web/monitoring/metrics_registry.hpp"
#include "web/monitoring/route_family.hpp"
#include "web/server/http1_request.hpp"

namespace inkan::web {
namespace {

using Steady = std::chrono::steady_clock;

constexpr std::uint64_t kListenId = 0;  // epoll data of the listening socket
constexpr std::uint64_t kWakeId = 1;    // and of a loop's eventfd
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxConnectionsPerLoop = 10'000;  // more are accepted and closed at once
constexpr int kAcceptsPerWake = 64;
constexpr auto kSweepEvery = std::chrono::milliseconds(250);
constexpr auto kSummaryEvery = std::chrono::seconds(10);

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return status < 400 ? "OK" : "Error";
  }
}

bool has_header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return true;
  return false;
}

// The bytes on the wire. The baseline security headers are added where the response has none
// of that name (the router adds them already; quick answers and refusals do not go through it).
std::string serialize(const Response& r, bool keep_alive, bool head_only) {
  std::string out;
  out.reserve(256 + r.body.size());
  out += "HTTP/1.1 " + std::to_string(r.status) + " " + reason_phrase(r.status) + "\r\n";
  const bool has_body = r.status != 304 && r.status != 204;
  if (has_body) out += "Content-Type: " + r.content_type + "\r\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
  for (const auto& [name, value] : baseline_security_headers())
    if (!has_header(r, name)) out += name + ": " + value + "\r\n";
  if (has_body) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  if (has_body && !head_only) out += r.body;
  return out;
}

Response refusal(int status) {
  Response r;
  r.status = status;
  r.body = std::string(reason_phrase(status)) + "\n";
  return r;
}

std::string peer_address(const sockaddr_storage& addr) {
  char buf[INET6_ADDRSTRLEN] = "-";
  if (addr.ss_family == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr, buf, sizeof buf);
  else if (addr.ss_family == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr, buf, sizeof buf);
  return buf;
}

long elapsed_ms(Steady::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - since).count());
}

struct Connection {
  enum class State { Reading, Handling, Writing };
  int fd = -1;
  std::uint64_t id = 0;
  std::string peer;
  std::string in;               // received bytes; those before `in_start` are answered requests
  std::size_t in_start = 0;
  Http1RequestReader reader;
  std::string out;              // the response being written
  std::size_t out_sent = 0;
  State state = State::Reading;
  bool close_after = false;     // after `out`
  bool eof = false;             // the client shut its side
  bool request_started = true;  // a new connection's first request runs on read_timeout
  int requests = 0;
  std::uint32_t events = 0;     // the epoll mask set
  Steady::time_point deadline;
};

}  // namespace

struct PlainHttpServer::Impl {
  struct Loop;

  ServerLimits limits;
  Http1Limits parse_limits;
  int listen_fd = -1;
  std::atomic<bool> stopping{false};
  Handler handler;
  QuickHandler quick;
  std::unique_ptr<HandlerPool> pool;  // the requests the loop cannot answer without blocking

  std::mutex loops_mutex;  // the loops' eventfds, for stop()
  std::vector<std::unique_ptr<Loop>> loops;

  // Quick answers since the last summary line.
  std::atomic<std::uint64_t> quick_answers{0}, quick_not_modified{0};

  std::mutex log_mutex;
  void log(const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::cerr << "inkan serve: " << line << std::flush;
  }

  explicit Impl(const ServerLimits& l) : limits(l) {
    parse_limits.head = HeadLimits{.max_headers = l.max_headers, .max_header_bytes = l.max_header_bytes};
    parse_limits.max_body_bytes = l.max_body_bytes;
  }
  ~Impl() {
    if (listen_fd >= 0) ::close(listen_fd);
  }
};

// One event-loop thread: its own epoll set holding the listening socket (EPOLLEXCLUSIVE: one
// loop wakes per new connection), its connections, and an eventfd through which the handler
// threads hand finished responses back.
struct PlainHttpServer::Impl::Loop {
  Impl& server;
  bool summarises;  // loop 0 writes the summary line
  int epfd = -1;
  int wakefd = -1;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> conns;
  std::uint64_t next_id = 2;
  bool accepting = true;
  Steady::time_point accept_paused_until{};
  Steady::time_point next_sweep = Steady::now() + kSweepEvery;
  Steady::time_point next_summary = Steady::now() + kSummaryEvery;

  struct Finished {
    std::uint64_t id;
    std::string bytes;
    bool keep_alive;
  };
  std::mutex done_mutex;
  std::vector<Finished> done;

  Loop(Impl& s, bool first) : server(s), summarises(first) {
    epfd = ::epoll_create1(EPOLL_CLOEXEC);
    wakefd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epfd < 0 || wakefd < 0) throw Error(ErrorCode::Io, "cannot create the OCSP listener's event loop");
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeId;
    ::epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &ev);
    watch_listener(true);
  }
  ~Loop() {
    for (auto& [id, c] : conns) {
      ::close(c->fd);
      metrics().connection_closed();
    }
    ::close(epfd);
    ::close(wakefd);
  }

  void wake() {
    const std::uint64_t one = 1;
    (void)!::write(wakefd, &one, sizeof one);
  }

  void watch_listener(bool on) {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u64 = kListenId;
    ::epoll_ctl(epfd, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, server.listen_fd, on ? &ev : nullptr);
    accepting = on;
  }

  void set_events(Connection& c, std::uint32_t events) {
    if (c.events == events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = c.id;
    ::epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd, &ev);
    c.events = events;
  }

  void close_connection(Connection& c) {
    ::close(c.fd);  // also leaves the epoll set
    metrics().connection_closed();
    conns.erase(c.id);  // c is gone
  }

  void run() {
    epoll_event events[128];
    while (!server.stopping.load(std::memory_order_relaxed)) {
      const int n = ::epoll_wait(epfd, events, 128, static_cast<int>(kSweepEvery.count()));
      if (n < 0 && errno != EINTR) break;
      for (int i = 0; i < n; ++i) {
        const auto id = events[i].data.u64;
        if (id == kListenId) {
          accept_all();
        } else if (id == kWakeId) {
          take_finished();
        } else if (auto it = conns.find(id); it != conns.end()) {
          on_event(*it->second, events[i].events);
        }
      }
      const auto now = Steady::now();
      if (now >= next_sweep) sweep(now);
    }
  }

  void accept_all() {
    for (int i = 0; i < kAcceptsPerWake; ++i) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = ::accept4(server.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: stop accepting for a moment instead of spinning on the backlog.
          watch_listener(false);
          accept_paused_until = Steady::now() + std::chrono::milliseconds(100);
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;
      }
      if (conns.size() >= kMaxConnectionsPerLoop) {
        ::close(fd);
        continue;
      }
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // a keep-alive answer must not wait for an ACK
      auto c = std::make_unique<Connection>();
      c->fd = fd;
      c->id = next_id++;
      c->peer = peer_address(addr);
      c->reader = Http1RequestReader(server.parse_limits);
      c->deadline = Steady::now() + std::chrono::seconds(server.limits.read_timeout_s);
      c->events = EPOLLIN | EPOLLRDHUP;
      epoll_event ev{};
      ev.events = c->events;
      ev.data.u64 = c->id;
      if (::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        ::close(fd);
        continue;
      }
      metrics().connection_opened();
      conns.emplace(c->id, std::move(c));
    }
  }

  void on_event(Connection& c, std::uint32_t ev) {
    if (ev & (EPOLLERR | EPOLLHUP)) return close_connection(c);  // nobody left to answer
    if (c.state == Connection::State::Writing && (ev & EPOLLOUT)) {
      if (write_out(c)) process(c);
      return;
    }
    if (c.state != Connection::State::Reading || !(ev & (EPOLLIN | EPOLLRDHUP))) return;
    char buf[kReadChunk];
    const ssize_t got = ::recv(c.fd, buf, sizeof buf, 0);
    if (got < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) close_connection(c);
      return;
    }
    if (got == 0) {
      c.eof = true;
      set_events(c, 0);  // answer what is buffered, then close
    } else {
      if (!c.request_started) {  // the first byte of a request: it has read_timeout_s to arrive whole
        c.request_started = true;
        c.deadline = Steady::now() + std::chrono::seconds(server.limits.read_timeout_s);
      }
      c.in.append(buf, static_cast<std::size_t>(got));
    }
    process(c);
  }

  // Answers the complete requests buffered on `c` (pipelined ones in order). Returns when more
  // bytes are needed, a handler thread has the request, the answer waits for the socket, or the
  // connection is closed (then `c` is gone).
  void process(Connection& c) {
    for (;;) {
      const auto buffered = std::string_view(c.in).substr(c.in_start);
      Http1Parse p = buffered.empty() ? Http1Parse{} : c.reader.parse(buffered);
      if (p.outcome == Http1Outcome::NeedMore) {
        if (c.eof) close_connection(c);
        return;
      }
      if (p.outcome == Http1Outcome::Refused) {
        metrics().request(RouteFamily::Other, p.status, std::chrono::microseconds(0));
        server.log(log_field(c.peer) + " \"-\" " + std::to_string(p.status) + " refused before routing\n");
        c.out = serialize(refusal(p.status), false, false);
        c.close_after = true;
        if (write_out(c)) continue;  // never: close_after
        return;
      }
      c.in_start += p.consumed;
      ++c.requests;
      const bool keep_alive = p.keep_alive && !c.eof && c.requests < server.limits.keep_alive_max_requests &&
                              !server.stopping.load(std::memory_order_relaxed);
      p.request.remote_addr = c.peer;
      const auto started = Steady::now();
      std::optional<Response> answer;
      try {
        answer = server.quick(p.request);
      } catch (const std::exception&) {
        answer.reset();  // the handler thread answers it, with the router's error handling
      }
      if (answer) {
        metrics().request(route_family(p.request.path), answer->status,
                          std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - started));
        server.quick_answers.fetch_add(1, std::memory_order_relaxed);
        if (answer->status == 304) server.quick_not_modified.fetch_add(1, std::memory_order_relaxed);
        c.out = serialize(*answer, keep_alive, p.request.method == "HEAD");
        c.close_after = !keep_alive;
        if (!write_out(c)) return;
        continue;
      }
      c.state = Connection::State::Handling;
      set_events(c, 0);  // nothing read until it is answered (errors and hang-ups still come)
      server.pool->submit([this, id = c.id, request = std::move(p.request), keep_alive, started] {
        handle(id, request, keep_alive, started);
      });
      return;
    }
  }

  // On a handler thread.
  void handle(std::uint64_t id, const Request& request, bool keep_alive, Steady::time_point started) {
    Response r;
    try {
      r = server.handler(request);
    } catch (const std::exception&) {
      r = refusal(500);
    }
    metrics().request(route_family(request.path), r.status,
                      std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - started));
    // The path only: query strings never reach the log; every field escaped (log_field).
    server.log(log_field(request.remote_addr) + " \"" + log_field(request.method) + " " + log_field(request.path) + "\" " +
               std::to_string(r.status) + " " + std::to_string(r.body.size()) + " " + std::to_string(elapsed_ms(started)) +
               "ms serial=-\n");
    Finished f{id, serialize(r, keep_alive, request.method == "HEAD"), keep_alive};
    {
      std::lock_guard lock(done_mutex);
      done.push_back(std::move(f));
    }
    wake();
  }

  void take_finished() {
    std::uint64_t count;
    (void)!::read(wakefd, &count, sizeof count);
    std::vector<Finished> ready;
    {
      std::lock_guard lock(done_mutex);
      ready.swap(done);
    }
    for (auto& f : ready) {
      auto it = conns.find(f.id);
      if (it == conns.end()) continue;  // the client left meanwhile
      auto& c = *it->second;
      c.out = std::move(f.bytes);
      c.close_after = !f.keep_alive;
      if (write_out(c)) process(c);
    }
  }

  // Writes what `c.out` holds. True when it is all written and the connection reads its next
  // request; false when it waits for the socket or is closed (then `c` is gone).
  bool write_out(Connection& c) {
    while (c.out_sent < c.out.size()) {
      const ssize_t n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          // Called again only when the socket took bytes: the deadline runs from the last progress.
          c.deadline = Steady::now() + std::chrono::seconds(server.limits.write_timeout_s);
          c.state = Connection::State::Writing;
          set_events(c, EPOLLOUT);
          return false;
        }
        close_connection(c);
        return false;
      }
      c.out_sent += static_cast<std::size_t>(n);
    }
    if (c.close_after) {
      ::shutdown(c.fd, SHUT_WR);
      close_connection(c);
      return false;
    }
    c.out.clear();
    c.out_sent = 0;
    c.in.erase(0, c.in_start);
    c.in_start = 0;
    c.reader.reset();
    c.state = Connection::State::Reading;
    c.request_started = !c.in.empty();
    c.deadline = Steady::now() + std::chrono::seconds(c.request_started ? server.limits.read_timeout_s
                                                                         : server.limits.keep_alive_timeout_s);
    set_events(c, EPOLLIN | EPOLLRDHUP);
    return true;
  }

  void sweep(Steady::time_point now) {
    next_sweep = now + kSweepEvery;
    std::vector<std::uint64_t> late;
    for (const auto& [id, c] : conns)
      if (c->state != Connection::State::Handling && now > c->deadline) late.push_back(id);
    for (auto id : late) close_connection(*conns.at(id));  // a slow or idle client: no answer owed
    if (!accepting && now >= accept_paused_until) watch_listener(true);
    if (summarises && now >= next_summary) {
      next_summary = now + kSummaryEvery;
      const auto answered = server.quick_answers.exchange(0, std::memory_order_relaxed);
      const auto not_modified = server.quick_not_modified.exchange(0, std::memory_order_relaxed);
      if (answered)
        server.log("ocsp listener: " + std::to_string(answered) + " request(s) answered from the pre-produced responses in the last " +
                   std::to_string(kSummaryEvery.count()) + " s (" + std::to_string(not_modified) +
                   " of them 304 Not Modified; counted one by one in the metrics)\n");
    }
  }
};

PlainHttpServer::PlainHttpServer(const ServerLimits& limits) : impl_(std::make_unique<Impl>(limits)) {}

PlainHttpServer::~PlainHttpServer() = default;

void PlainHttpServer::bind(const std::string& host, int port) {
  const std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
    throw Error(ErrorCode::Io, "cannot listen on " + where + " (not an address of this host)");
  int fd = -1;
  for (auto* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // SO_REUSEADDR only (no SO_REUSEPORT): a second process cannot bind a port a running server holds.
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0)
    throw Error(ErrorCode::Io, "cannot listen on " + where + " (address in use, or not an address of this host)");
  impl_->listen_fd = fd;
}

void PlainHttpServer::run(Handler handler, QuickHandler quick) {
  auto& s = *impl_;
  s.handler = std::move(handler);
  s.quick = std::move(quick);
  s.pool = std::make_unique<HandlerPool>(static_cast<std::size_t>(std::max(1, s.limits.threads)));
  // As many loops as cores (at most 4): each answers cached responses without a thread hop.
  const unsigned loops = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  {
    std::lock_guard lock(s.loops_mutex);
    for (unsigned i = 0; i < loops; ++i) s.loops.push_back(std::make_unique<Impl::Loop>(s, i == 0));
  }
  std::vector<std::thread> threads;
  for (auto& loop : s.loops) threads.emplace_back([&loop] { loop->run(); });
  for (auto& t : threads) t.join();
  s.pool.reset();  // handlers still running finish; their answers go nowhere
  std::lock_guard lock(s.loops_mutex);
  s.loops.clear();
}

void PlainHttpServer::stop() {
  impl_->stopping = true;
  std::lock_guard lock(impl_->loops_mutex);
  for (auto& loop : impl_->loops) loop->wake();
}

}  // namespace inkan::web
