#pragma once
// HTTP/1.0 and 1.1 requests read from a plain TCP connection, for the OCSP listener
// (plain_http_server.hpp), which does not go through cpp-httplib. Incremental: the connection
// offers its buffer each time bytes arrive, and the reader answers "more", a request, or a
// refusal with its status. Strict and bounded: the head passes the RequestHeadGuard as it
// arrives (so a head without an end is refused at its limit, not buffered), only CRLF or LF line
// ends, no obsolete line folding, a body only by Content-Length (Transfer-Encoding: 411, as the
// HTTPS port answers), at most max_body_bytes. Pure and fuzzed (tests/fuzz/fuzz_http1_request).
#include <cstddef>
#include <string_view>

#include "web/http/http.hpp"
#include "web/server/request_head_guard.hpp"

namespace inkan::web {

struct Http1Limits {
  HeadLimits head;
  std::size_t max_target_bytes = 8 * 1024;  // longer: 414, as cpp-httplib answers on the HTTPS port
  std::size_t max_body_bytes = 64 * 1024;   // longer: 413
};

enum class Http1Outcome { NeedMore, Complete, Refused };

struct Http1Parse {
  Http1Outcome outcome = Http1Outcome::NeedMore;
  int status = 0;            // Refused: 400, 411, 413, 414, 431 or 505; the connection is closed after it
  Request request;           // Complete: method, decoded path, query, headers (lower-case names), body
  std::size_t consumed = 0;  // Complete: the bytes of the buffer this request took (head and body)
  bool keep_alive = false;   // Complete: HTTP/1.1 without "Connection: close", or 1.0 with "keep-alive"
};

class Http1RequestReader {
 public:
  explicit Http1RequestReader(Http1Limits limits = {}) : limits_(limits), guard_(limits.head) {}

  // `buffered`: the connection's bytes from the start of this request, the earlier offers'
  // bytes first (a connection only appends). Refused and Complete are final until reset().
  Http1Parse parse(std::string_view buffered);
  // For the next request on the same connection.
  void reset();

 private:
  // The request without its body (NeedMore), or the refusal; sets body_bytes_.
  Http1Parse parse_head(std::string_view head);

  Http1Limits limits_;
  RequestHeadGuard guard_;
  std::size_t fed_ = 0;        // bytes of this request fed to the guard
  std::size_t head_bytes_ = 0; // the head's length once complete
  std::size_t body_bytes_ = 0; // Content-Length, once the head is read
  Http1Parse head_;            // the head's parse, once read
};

}  // namespace inkan::web
