#pragma once
// One accepted TLS connection on OpenSSL 3, with cpp-httplib's timeouts: the handshake and every
// read wait at most the read timeout, every write at most the write timeout. It replaces
// cpp-httplib's own SSL stream so that the server can see each request's bytes before they are
// parsed (https_server.cpp, RequestHeadGuard); the handshake policy stays in TlsState.
#include <sys/types.h>

#include <string>

struct ssl_ctx_st;  // SSL_CTX
struct ssl_st;      // SSL

namespace inkan::web {

struct TlsTimeouts {
  int read_s = 10;
  int write_s = 10;
};

class TlsConnection {
 public:
  // Takes no ownership of `fd`: the caller closes it after this object is gone.
  TlsConnection(int fd, ssl_ctx_st* ctx, TlsTimeouts timeouts);
  ~TlsConnection();  // a clean close_notify when the connection ended well
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  bool handshake();                     // false: failed or timed out
  bool handshake_timed_out() const { return timed_out_; }
  bool wait_readable(int seconds) const;  // buffered TLS data, or the socket within `seconds`
  bool wait_writable(int seconds) const;
  ssize_t read(char* buf, std::size_t n);        // < 0: error or timeout, 0: closed
  ssize_t write(const char* buf, std::size_t n);  // all of it, or < 0
  // After a refusal sent mid-request: close_notify, no more writes, and what the client is still
  // sending read and discarded for a moment (a lingering close, at most 2 s and 4 MiB, nothing
  // kept) so that closing does not reset the connection before the client has read the answer.
  void close_after_refusal();

  int fd() const { return fd_; }
  ssl_st* ssl() const { return ssl_; }

 private:
  bool wait(short events, int seconds) const;
  int fd_;
  ssl_st* ssl_ = nullptr;
  TlsTimeouts timeouts_;
  bool clean_ = false;
  bool timed_out_ = false;
};

}  // namespace inkan::web
