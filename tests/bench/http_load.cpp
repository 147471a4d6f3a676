#include "tests/bench/http_load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

namespace inkan::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kFullCheckEvery = 64;

struct Parsed {
  bool complete = false;
  bool ok = false;    // a 200 with its whole body
  bool keep = false;  // the server keeps the connection
  std::string body;
};

Parsed parse_response(const std::string& in, bool eof, bool want_keep) {
  Parsed p;
  const auto head_end = in.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    p.complete = eof;
    return p;
  }
  std::string head = in.substr(0, head_end);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool status_ok = head.rfind("http/1.", 0) == 0 && head.compare(8, 5, " 200 ") == 0;
  const auto cl = head.find("\r\ncontent-length:");
  if (cl == std::string::npos) {  // the body runs to the end of the connection
    p.complete = eof;
    p.ok = eof && status_ok;
    p.body = in.substr(head_end + 4);
    return p;
  }
  const auto length = static_cast<std::size_t>(std::strtoul(head.c_str() + cl + 17, nullptr, 10));
  if (in.size() - (head_end + 4) < length) {
    p.complete = eof;
    return p;
  }
  p.complete = true;
  p.ok = status_ok;
  p.body = in.substr(head_end + 4, length);
  p.keep = want_keep && !eof && head.find("connection: close") == std::string::npos &&
           (head.rfind("http/1.1", 0) == 0 || head.find("connection: keep-alive") != std::string::npos);
  return p;
}

struct Conn {
  int fd = -1;
  std::size_t next = 0;  // index of the body to send
  std::string out;
  std::size_t sent = 0;
  std::string in;
  Clock::time_point started;
  bool busy = false;  // a request in flight
};

class LoadThread {
 public:
  LoadThread(const HttpLoadSettings& s, const std::vector<std::string>& messages,
             const std::function<bool(const std::string&, bool)>& check, const std::atomic<bool>& stop)
      : s_(s), messages_(messages), check_(check), stop_(stop), ep_(::epoll_create1(EPOLL_CLOEXEC)) {}
  ~LoadThread() {
    for (auto& c : conns_)
      if (c.fd >= 0) ::close(c.fd);
    ::close(ep_);
  }

  void run(int first_client) {
    for (int c = first_client; c < s_.clients; c += s_.threads) {
      conns_.emplace_back();
      conns_.back().next = static_cast<std::size_t>(c);
    }
    for (auto& c : conns_) begin(c);
    epoll_event events[64];
    // After the stop, the requests in flight finish (for at most 10 s) and no new one starts:
    // a connection dropped between connect and request made openssl ocsp 3.0 spin on it, never
    // answering anyone again (seen in this bench before the drain).
    std::optional<Clock::time_point> drain_until;
    for (;;) {
      if (stop_.load(std::memory_order_relaxed)) {
        if (!drain_until) drain_until = Clock::now() + std::chrono::seconds(10);
        if (std::none_of(conns_.begin(), conns_.end(), [](const Conn& c) { return c.busy; }) || Clock::now() > *drain_until)
          break;
      }
      const int n = ::epoll_wait(ep_, events, 64, 100);
      for (int i = 0; i < n; ++i) on_event(*static_cast<Conn*>(events[i].data.ptr), events[i].events);
    }
  }

  HttpLoadResult result;

 private:
  void watch(Conn& c, std::uint32_t events, int op) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = &c;
    ::epoll_ctl(ep_, op, c.fd, &ev);
  }

  void begin(Conn& c) {
    c.busy = true;
    c.out = messages_[c.next % messages_.size()];
    c.sent = 0;
    c.in.clear();
    c.started = Clock::now();
    if (c.fd >= 0) {
      watch(c, EPOLLOUT | EPOLLIN, EPOLL_CTL_MOD);
      return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(s_.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (;;) {
      c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      int one = 1;
      ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 || errno == EINPROGRESS) break;
      ::close(c.fd);  // refused at once: counted, and tried again a moment later
      c.fd = -1;
      ++result.failures;
      if (stop_) {
        c.busy = false;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    watch(c, EPOLLOUT | EPOLLIN, EPOLL_CTL_ADD);
  }

  void fail(Conn& c) {
    ++result.failures;
    ::close(c.fd);
    c.fd = -1;
    c.busy = false;
    if (!stop_) begin(c);
  }

  void on_event(Conn& c, std::uint32_t ev) {
    if (c.sent < c.out.size()) {
      if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
      const ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) fail(c);
        return;
      }
      c.sent += static_cast<std::size_t>(n);
      if (c.sent == c.out.size()) watch(c, EPOLLIN, EPOLL_CTL_MOD);
      return;
    }
    if (!(ev & (EPOLLIN | EPOLLERR | EPOLLHUP))) return;
    bool eof = false;
    char buf[16384];
    for (;;) {
      const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0) eof = true;
      else if (errno != EAGAIN && errno != EWOULDBLOCK) return fail(c);
      break;
    }
    auto p = parse_response(c.in, eof, s_.keep_alive);
    if (!p.complete) {
      if (eof) fail(c);
      return;
    }
    result.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - c.started).count());
    const bool full = result.latencies_ms.size() % kFullCheckEvery == 1;
    if (!p.ok || !check_(p.body, full)) ++result.failures;
    if (!p.keep) {
      ::close(c.fd);
      c.fd = -1;
    }
    c.busy = false;
    c.next += static_cast<std::size_t>(s_.clients);
    if (!stop_) begin(c);
  }

  const HttpLoadSettings& s_;
  const std::vector<std::string>& messages_;
  const std::function<bool(const std::string&, bool)>& check_;
  const std::atomic<bool>& stop_;
  int ep_;
  std::vector<Conn> conns_;  // never resized after run() starts: epoll holds pointers
};

}  // namespace

HttpLoadResult run_http_load(const HttpLoadSettings& s, const std::vector<std::string>& bodies,
                             const std::function<bool(const std::string& body, bool full)>& check) {
  std::vector<std::string> messages;
  for (const auto& body : bodies)
    messages.push_back(std::string(s.keep_alive ? "POST " + s.path + " HTTP/1.1\r\nConnection: keep-alive\r\n"
                                                : "POST " + s.path + " HTTP/1.0\r\n") +
                       "Host: 127.0.0.1\r\nContent-Type: " + s.content_type + "\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body);
  std::atomic<bool> stop{false};
  const int threads = std::max(1, std::min(s.threads, s.clients));
  HttpLoadSettings settings = s;
  settings.threads = threads;
  std::vector<std::unique_ptr<LoadThread>> loads;
  for (int t = 0; t < threads; ++t) loads.push_back(std::make_unique<LoadThread>(settings, messages, check, stop));
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) running.emplace_back([&loads, t] { loads[static_cast<std::size_t>(t)]->run(t); });
  std::this_thread::sleep_for(std::chrono::duration<double>(s.seconds));
  stop = true;
  for (auto& t : running) t.join();
  HttpLoadResult all;
  for (auto& l : loads) {
    all.latencies_ms.insert(all.latencies_ms.end(), l->result.latencies_ms.begin(), l->result.latencies_ms.end());
    all.failures += l->result.failures;
  }
  return all;
}

}  // namespace inkan::bench
