#include "web/server/request_head_guard.hpp"

namespace inkan::web {

RequestHeadGuard::Verdict RequestHeadGuard::feed(const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n && verdict_ == Verdict::Reading; ++i) {
    const char c = data[i];
    if (in_request_line_) {
      if (++request_line_bytes_ > limits_.max_request_line_bytes) {
        verdict_ = Verdict::RequestLineTooLong;
        break;
      }
      if (c == '\n') {
        in_request_line_ = false;
        at_line_start_ = true;
      }
      continue;
    }
    if (++header_bytes_ > limits_.max_header_bytes) {
      verdict_ = Verdict::TooLarge;
      break;
    }
    if (at_line_start_) {
      if (c == '\n') {  // CRLF or a bare LF: the empty line
        verdict_ = Verdict::Complete;
        break;
      }
      if (c == '\r' && !pending_cr_) {
        pending_cr_ = true;
        continue;
      }
      // A header line starts (a lone CR before it counts as part of it).
      pending_cr_ = false;
      at_line_start_ = false;
      if (++headers_ > limits_.max_headers) {
        verdict_ = Verdict::TooLarge;
        break;
      }
    }
    if (c == '\n') at_line_start_ = true;
  }
  return verdict_;
}

}  // namespace inkan::web
