#pragma once
// The benchmarks' HTTPS load client: one request per fresh TCP connection and full TLS
// handshake (no session is ever offered for resumption), with a client certificate, from
// several threads. OpenSSL directly, so the client costs the same against every server.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace inkan::bench {

// A client certificate and its key (OpenSSL objects, freed on destruction).
class ClientCredential {
 public:
  static std::shared_ptr<ClientCredential> from_pem_files(const std::filesystem::path& cert,
                                                          const std::filesystem::path& key);
  static std::shared_ptr<ClientCredential> from_p12(const std::string& p12, const std::string& password);
  ~ClientCredential();
  void* cert = nullptr;  // X509*
  void* key = nullptr;   // EVP_PKEY*
};

struct HttpReply {
  bool ok = false;     // a complete HTTP response arrived
  int status = 0;
  std::string headers;  // the raw header lines
  std::string body;
  std::string error;   // why not ok
};

class TlsClient {
 public:
  TlsClient();
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;
  // Connects to 127.0.0.1:port, handshakes (SNI localhost), sends `request` (which should say
  // Connection: close) and reads the reply until the server closes.
  HttpReply exchange(int port, const ClientCredential* credential, const std::string& request) const;
  // One kept connection: handshakes once, then sends `request` (HTTP/1.1 without Connection:
  // close) `count` times, each once the previous reply (Content-Length) arrived whole. The
  // milliseconds of each exchange; fewer than `count`, with `error` set, when a reply failed.
  std::vector<double> kept_exchanges(int port, const ClientCredential* credential, const std::string& request, int count,
                                     std::string& error) const;

 private:
  void* ctx_ = nullptr;  // SSL_CTX*, shared by the threads
};

std::string get_request(const std::string& path, const std::string& cookie = "");
std::string post_form_request(const std::string& path, const std::string& form, const std::string& cookie);
// "name=value" of each Set-Cookie header of the reply.
std::vector<std::string> set_cookies(const HttpReply& reply);
std::string post_json_request(const std::string& path, const std::string& body);

struct LoadResult {
  std::int64_t ok = 0;
  std::int64_t errors = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;  // successful requests
  std::string first_error;
  double rate() const { return seconds > 0 ? double(ok) / seconds : 0; }
};

// Runs `one(thread_index)` in a loop on `threads` threads until `duration` has passed or
// `one` returns an empty optional-like "stop" (HttpReply with error "stop"). Counts a
// request as successful when `one` returns an empty string, else an error with that text.
LoadResult run_load(int threads, std::chrono::duration<double> duration,
                    const std::function<std::string(int thread, bool& stop)>& one);

}  // namespace inkan::bench
