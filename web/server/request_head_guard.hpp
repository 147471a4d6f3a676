#pragma once
// Bounds on a request head (issue 14 item 2): cpp-httplib 0.11 limits each header line to 8 KiB
// but neither the number of lines nor their sum, so one client without a certificate made the
// server buffer 30 MB of headers (and never give the memory back). The guard watches the bytes
// of one request as the connection hands them to cpp-httplib, and says "too large" as soon as
// the head crosses a limit, before cpp-httplib has stored more than the limit. The same holds for
// a request line or a header line without an end (cpp-httplib grows its line buffer until the
// newline: 64 MiB sent without one grew the server by 62 MiB).
#include <cstddef>

namespace inkan::web {

struct HeadLimits {
  std::size_t max_request_line_bytes = 16 * 1024;  // cpp-httplib refuses URIs over 8 KiB (414), but
                                                   // only once the whole line is in memory
  std::size_t max_headers = 100;              // header lines after the request line
  std::size_t max_header_bytes = 64 * 1024;   // their bytes, line ends included
};

class RequestHeadGuard {
 public:
  enum class Verdict { Reading, Complete, TooLarge, RequestLineTooLong };

  explicit RequestHeadGuard(HeadLimits limits = {}) : limits_(limits) {}

  // Feeds bytes in the order they arrive. Once Complete (the empty line was read: the body
  // follows) or TooLarge, further bytes do not change the verdict.
  Verdict feed(const char* data, std::size_t n);
  Verdict verdict() const { return verdict_; }
  std::size_t headers() const { return headers_; }

 private:
  HeadLimits limits_;
  Verdict verdict_ = Verdict::Reading;
  bool in_request_line_ = true;
  bool at_line_start_ = false;
  bool pending_cr_ = false;  // a CR at the start of a line: the head ends if LF follows
  std::size_t request_line_bytes_ = 0;
  std::size_t headers_ = 0;
  std::size_t header_bytes_ = 0;
};

}  // namespace inkan::web
