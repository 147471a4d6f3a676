#include "web/server/tls_connection.hpp"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <chrono>

namespace inkan::web {
namespace {

void set_nonblocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK));
}

}  // namespace

TlsConnection::TlsConnection(int fd, SSL_CTX* ctx, TlsTimeouts timeouts) : fd_(fd), timeouts_(timeouts) {
  ssl_ = SSL_new(ctx);
}

TlsConnection::~TlsConnection() {
  if (!ssl_) return;
  if (clean_) SSL_shutdown(ssl_);
  SSL_free(ssl_);
  ERR_clear_error();  // nothing of this connection's errors leaks into the next one on this thread
}

bool TlsConnection::wait(short events, int seconds) const {
  pollfd p{fd_, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, seconds * 1000);
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

bool TlsConnection::handshake() {
  if (!ssl_) return false;
  // Non-blocking during the handshake, so a client that stops half way costs one read timeout.
  set_nonblocking(fd_, true);
  if (SSL_set_fd(ssl_, fd_) != 1) return false;
  bool ok = false;
  for (;;) {
    const int r = SSL_accept(ssl_);
    if (r == 1) {
      ok = true;
      break;
    }
    const int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ && wait(POLLIN, timeouts_.read_s)) continue;
    if (err == SSL_ERROR_WANT_WRITE && wait(POLLOUT, timeouts_.write_s)) continue;
    timed_out_ = err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
    break;
  }
  set_nonblocking(fd_, false);
  // A blocking SSL_write to a client that stops reading would wait for ever: bound every send
  // (and receive) on the socket itself, in addition to the poll before each.
  const timeval rcv{timeouts_.read_s, 0}, snd{timeouts_.write_s, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &rcv, sizeof rcv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof snd);
  // Non-application records after the handshake (TLS 1.3 tickets, alerts) make SSL_read return
  // WANT_READ instead of blocking: read() waits for the socket again, within the read timeout.
  SSL_clear_mode(ssl_, SSL_MODE_AUTO_RETRY);
  clean_ = ok;
  return ok;
}

bool TlsConnection::wait_writable(int seconds) const { return wait(POLLOUT, seconds); }

void TlsConnection::close_after_refusal() {
  SSL_shutdown(ssl_);
  clean_ = false;  // close_notify sent: nothing more at destruction
  ::shutdown(fd_, SHUT_WR);
  char sink[16384];
  std::size_t drained = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (drained < (4u << 20) && std::chrono::steady_clock::now() < until) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) break;
    const auto n = ::recv(fd_, sink, sizeof sink, MSG_DONTWAIT);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
}

bool TlsConnection::wait_readable(int seconds) const {
  return SSL_pending(ssl_) > 0 || wait(POLLIN, seconds);
}

ssize_t TlsConnection::read(char* buf, std::size_t n) {
  for (int tries = 0; tries < 1000; ++tries) {
    if (SSL_pending(ssl_) <= 0 && !wait(POLLIN, timeouts_.read_s)) return -1;
    const int r = SSL_read(ssl_, buf, static_cast<int>(n));
    if (r > 0) return r;
    const int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ) continue;
    if (err == SSL_ERROR_ZERO_RETURN) return 0;
    clean_ = false;
    return -1;
  }
  return -1;
}

ssize_t TlsConnection::write(const char* buf, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    if (!wait(POLLOUT, timeouts_.write_s)) {
      clean_ = false;
      return -1;
    }
    const int r = SSL_write(ssl_, buf + done, static_cast<int>(n - done));
    if (r > 0) {
      done += static_cast<std::size_t>(r);
      continue;
    }
    const int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ) continue;
    clean_ = false;
    return -1;
  }
  return static_cast<ssize_t>(n);
}

}  // namespace inkan::web
