// raise_listen_backlog, checked on the kernel's accept queue itself: connections that complete
// their handshake while nobody accepts are exactly those the queue holds.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch_test_macros.hpp>

#include <cstdint>
#include <vector>

#include "web/server/listen_backlog.hpp"

namespace {

int listen_on_loopback(int backlog, int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, backlog) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  port = ntohs(addr.sin_port);
  return fd;
}

// Opens `n` connections at once without accepting any, and counts those the kernel completed
// within 300 ms (a dropped SYN is retried only after 1 s).
int completed_connections(int port, int n) {
  std::vector<pollfd> fds;
  for (int i = 0; i < n; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // EINPROGRESS
    fds.push_back({fd, POLLOUT, 0});
  }
  ::poll(fds.data(), fds.size(), 300);
  int done = 0;
  for (auto& p : fds) {
    int error = -1;
    socklen_t len = sizeof error;
    if ((p.revents & POLLOUT) && ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0) ++done;
    ::close(p.fd);
  }
  return done;
}

void accept_everything(int listener) {
  const int flags = ::fcntl(listener, F_GETFL);
  ::fcntl(listener, F_SETFL, flags | O_NONBLOCK);
  for (int fd; (fd = ::accept(listener, nullptr, nullptr)) >= 0;) ::close(fd);
  ::fcntl(listener, F_SETFL, flags);
}

}  // namespace

TEST_CASE("web: raise_listen_backlog lengthens the accept queue of the socket listening on a port", "[web]") {
  int port = 0;
  const int listener = listen_on_loopback(1, port);
  // A backlog of 1 holds 2 finished handshakes; the other SYNs are dropped.
  CHECK(completed_connections(port, 12) <= 3);
  accept_everything(listener);

  CHECK(inkan::web::raise_listen_backlog(port + 1 == 65536 ? port - 1 : port + 1, 64) == 0);  // another port: untouched
  CHECK(inkan::web::raise_listen_backlog(port, 64) == 1);
  CHECK(completed_connections(port, 12) == 12);
  accept_everything(listener);
  ::close(listener);
}
