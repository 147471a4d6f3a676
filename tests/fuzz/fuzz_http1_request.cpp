// The OCSP listener's HTTP/1.x request reader (web/server/http1_request.cpp), on arbitrary bytes
// fed the way the server feeds it: appended chunk by chunk, each complete request taken off the
// front and the reader reset for the next (pipelining). The first input byte picks the chunk
// size (0: everything at once). Invariants: the requests and the refusal are the same whatever
// the chunking; a request consumed some bytes and no more than were there, has a token method,
// a path starting with '/', lower-case token header names, values without CR, LF or NUL, and
// stays within the limits; a refusal is one of the statuses the server sends.
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_check.hpp"
#include "web/server/http1_request.hpp"

namespace {

using namespace inkan::web;

// Small limits, so that the bounds are reached often.
Http1Limits limits() {
  Http1Limits l;
  l.head = HeadLimits{.max_request_line_bytes = 300, .max_headers = 8, .max_header_bytes = 512};
  l.max_target_bytes = 256;
  l.max_body_bytes = 128;
  return l;
}

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// What the reader made of a stream: one line per request or refusal.
std::vector<std::string> read_all(std::string_view input, std::size_t chunk) {
  const auto l = limits();
  Http1RequestReader reader(l);
  std::string in;
  std::size_t start = 0;
  std::vector<std::string> out;
  for (std::size_t fed = 0; fed < input.size();) {
    const std::size_t n = chunk == 0 ? input.size() : std::min(chunk, input.size() - fed);
    in.append(input.substr(fed, n));
    fed += n;
    for (;;) {
      const auto buffered = std::string_view(in).substr(start);
      if (buffered.empty()) break;
      auto p = reader.parse(buffered);
      if (p.outcome == Http1Outcome::NeedMore) break;
      if (p.outcome == Http1Outcome::Refused) {
        const int s = p.status;
        FUZZ_CHECK(s == 400 || s == 411 || s == 413 || s == 414 || s == 431 || s == 505);
        out.push_back("refused " + std::to_string(s));
        return out;  // the server closes the connection
      }
      const auto& r = p.request;
      FUZZ_CHECK(p.consumed > 0 && p.consumed <= buffered.size());
      FUZZ_CHECK(!r.method.empty() && r.method.size() <= 16);
      for (char c : r.method) FUZZ_CHECK(token_char(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c)));
      FUZZ_CHECK(!r.path.empty() && r.path.front() == '/');
      FUZZ_CHECK(r.path.size() <= l.max_target_bytes);
      FUZZ_CHECK(r.body.size() <= l.max_body_bytes && r.body.size() < p.consumed);
      FUZZ_CHECK(r.headers.size() <= l.head.max_headers);
      for (const auto& [name, value] : r.headers) {
        FUZZ_CHECK(!name.empty());
        for (char c : name) FUZZ_CHECK(token_char(c));
        FUZZ_CHECK(inkan::fuzz::header_safe(value));
      }
      std::string line = r.method + " " + r.path + " " + std::to_string(r.query.size()) + " " +
                         std::to_string(r.headers.size()) + " " + std::to_string(p.consumed) + " " +
                         (p.keep_alive ? "keep" : "close") + " ";
      line += r.body;
      out.push_back(std::move(line));
      start += p.consumed;
      reader.reset();
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = data[0] % 17;  // 0: all at once, else 1..16 bytes at a time
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto whole = read_all(input, 0);
  if (chunk != 0) FUZZ_CHECK(read_all(input, chunk) == whole);
  return 0;
}
