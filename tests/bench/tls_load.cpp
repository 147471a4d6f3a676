#include "tests/bench/tls_load.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "tests/bench/bench_process.hpp"

namespace inkan::bench {
namespace {

std::string ssl_error_text() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "no OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A client side on the connected socket `fd`, for SNI localhost, presenting `credential` if any.
SSL* new_client_ssl(SSL_CTX* ctx, int fd, const ClientCredential* credential) {
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "localhost");
  if (credential) {
    SSL_use_certificate(ssl, static_cast<X509*>(credential->cert));
    SSL_use_PrivateKey(ssl, static_cast<EVP_PKEY*>(credential->key));
  }
  return ssl;
}

// "HTTP/1.1 200 OK\r\n..." -> 200, and the body after the blank line.
bool parse_reply(const std::string& raw, HttpReply& r) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return false;
  r.status = std::atoi(raw.c_str() + 9);
  const auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  r.headers = raw.substr(0, end);
  r.body = raw.substr(end + 4);
  return true;
}

}  // namespace

std::shared_ptr<ClientCredential> ClientCredential::from_pem_files(const std::filesystem::path& cert,
                                                                   const std::filesystem::path& key) {
  auto c = std::make_shared<ClientCredential>();
  BIO* b = BIO_new_file(cert.c_str(), "r");
  if (b) c->cert = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  b = BIO_new_file(key.c_str(), "r");
  if (b) c->key = PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  if (!c->cert || !c->key) throw std::runtime_error("cannot read " + cert.string() + " / " + key.string());
  return c;
}

std::shared_ptr<ClientCredential> ClientCredential::from_p12(const std::string& p12, const std::string& password) {
  BIO* b = BIO_new_mem_buf(p12.data(), static_cast<int>(p12.size()));
  PKCS12* parsed = d2i_PKCS12_bio(b, nullptr);
  BIO_free(b);
  if (!parsed) throw std::runtime_error("not a PKCS#12 file: " + ssl_error_text());
  auto c = std::make_shared<ClientCredential>();
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  const int ok = PKCS12_parse(parsed, password.c_str(), &key, &cert, nullptr);
  PKCS12_free(parsed);
  if (!ok || !cert || !key) throw std::runtime_error("cannot open a PKCS#12 file: " + ssl_error_text());
  c->cert = cert;
  c->key = key;
  return c;
}

ClientCredential::~ClientCredential() {
  X509_free(static_cast<X509*>(cert));
  EVP_PKEY_free(static_cast<EVP_PKEY*>(key));
}

TlsClient::TlsClient() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) throw std::runtime_error("SSL_CTX_new: " + ssl_error_text());
  // Every connection is a full handshake: nothing is cached, nothing is offered.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);  // the same client cost for every server
  ctx_ = ctx;
}

TlsClient::~TlsClient() { SSL_CTX_free(static_cast<SSL_CTX*>(ctx_)); }

HttpReply TlsClient::exchange(int port, const ClientCredential* credential, const std::string& request) const {
  HttpReply r;
  const int fd = connect_loopback(port);
  if (fd < 0) {
    r.error = "connect failed";
    return r;
  }
  SSL* ssl = new_client_ssl(static_cast<SSL_CTX*>(ctx_), fd, credential);
  std::string raw;
  if (SSL_connect(ssl) != 1) {
    r.error = "handshake: " + ssl_error_text();
  } else if (SSL_write(ssl, request.data(), static_cast<int>(request.size())) <= 0) {
    r.error = "write: " + ssl_error_text();
  } else {
    char buf[16384];
    for (;;) {
      const int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) break;  // close_notify, EOF or a reset after the reply
      raw.append(buf, static_cast<std::size_t>(n));
    }
    ERR_clear_error();
    r.ok = parse_reply(raw, r);
    if (!r.ok) r.error = "incomplete reply (" + std::to_string(raw.size()) + " bytes)";
  }
  SSL_free(ssl);
  ::close(fd);
  return r;
}

namespace {

// The Content-Length of a reply head, or -1.
long content_length(const std::string& head) {
  for (std::size_t pos = head.find("\r\n"); pos != std::string::npos; pos = head.find("\r\n", pos + 2)) {
    static const std::string name = "content-length:";
    if (head.size() - (pos + 2) < name.size()) break;
    bool match = true;
    for (std::size_t i = 0; i < name.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(head[pos + 2 + i])) == name[i];
    if (match) return std::atol(head.c_str() + pos + 2 + name.size());
  }
  return -1;
}

}  // namespace

std::vector<double> TlsClient::kept_exchanges(int port, const ClientCredential* credential, const std::string& request,
                                              int count, std::string& error) const {
  std::vector<double> ms;
  const int fd = connect_loopback(port);
  if (fd < 0) {
    error = "connect failed";
    return ms;
  }
  SSL* ssl = new_client_ssl(static_cast<SSL_CTX*>(ctx_), fd, credential);
  if (SSL_connect(ssl) != 1) error = "handshake: " + ssl_error_text();
  std::string raw;  // bytes read past the previous reply
  char buf[16384];
  for (int i = 0; error.empty() && i < count; ++i) {
    const auto start = std::chrono::steady_clock::now();
    if (SSL_write(ssl, request.data(), static_cast<int>(request.size())) <= 0) {
      error = "write: " + ssl_error_text();
      break;
    }
    std::size_t head_end = std::string::npos;
    long length = -1;
    while (head_end == std::string::npos || raw.size() < head_end + 4 + static_cast<std::size_t>(length)) {
      if (head_end == std::string::npos && (head_end = raw.find("\r\n\r\n")) != std::string::npos) {
        length = content_length(raw.substr(0, head_end));
        if (length < 0) {
          error = "a reply without Content-Length";
          break;
        }
        continue;
      }
      const int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) {
        error = "the server closed the connection after " + std::to_string(i) + " replies";
        break;
      }
      raw.append(buf, static_cast<std::size_t>(n));
    }
    if (!error.empty()) break;
    if (raw.compare(0, 12, "HTTP/1.1 200") != 0) {
      error = "reply " + raw.substr(0, raw.find("\r\n"));
      break;
    }
    raw.erase(0, head_end + 4 + static_cast<std::size_t>(length));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  ERR_clear_error();
  SSL_free(ssl);
  ::close(fd);
  return ms;
}

std::string get_request(const std::string& path, const std::string& cookie) {
  return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" +
         (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") + "\r\n";
}

std::string post_form_request(const std::string& path, const std::string& form, const std::string& cookie) {
  return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" +
         (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") +
         "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(form.size()) +
         "\r\n\r\n" + form;
}

std::vector<std::string> set_cookies(const HttpReply& reply) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = reply.headers.find("\r\n", pos)) != std::string::npos) {
    pos += 2;
    const auto end = reply.headers.find("\r\n", pos);
    const std::string line = reply.headers.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (line.size() > 12 && (line.compare(0, 12, "Set-Cookie: ") == 0 || line.compare(0, 12, "set-cookie: ") == 0))
      out.push_back(line.substr(12, line.find(';') - 12));
  }
  return out;
}

std::string post_json_request(const std::string& path, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

LoadResult run_load(int threads, std::chrono::duration<double> duration,
                    const std::function<std::string(int thread, bool& stop)>& one) {
  LoadResult total;
  std::mutex m;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(duration);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      LoadResult mine;
      bool stop = false;
      while (!stop && Clock::now() < deadline) {
        const auto t0 = Clock::now();
        std::string err = one(t, stop);
        if (stop && err.empty()) break;
        if (err.empty()) {
          ++mine.ok;
          mine.latencies_ms.push_back(seconds_since(t0) * 1000.0);
        } else {
          ++mine.errors;
          if (mine.first_error.empty()) mine.first_error = err;
        }
      }
      std::lock_guard lock(m);
      total.ok += mine.ok;
      total.errors += mine.errors;
      total.latencies_ms.insert(total.latencies_ms.end(), mine.latencies_ms.begin(), mine.latencies_ms.end());
      if (total.first_error.empty()) total.first_error = mine.first_error;
    });
  for (auto& th : pool) th.join();
  total.seconds = seconds_since(start);
  return total;
}

}  // namespace inkan::bench
