// Issue 14 item 2: the bounds on a request head, byte by byte as cpp-httplib reads it.
#include <catch2/catch_test_macros.hpp>

#include <string>

#include "web/server/request_head_guard.hpp"

using inkan::web::HeadLimits;
using inkan::web::RequestHeadGuard;
using Verdict = RequestHeadGuard::Verdict;

namespace {

std::string head_with(int headers, std::size_t value_bytes = 10) {
  std::string s = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < headers; ++i) s += "X-H" + std::to_string(i) + ": " + std::string(value_bytes, 'v') + "\r\n";
  return s;
}

Verdict feed_bytewise(RequestHeadGuard& g, const std::string& s) {
  for (char c : s) g.feed(&c, 1);
  return g.verdict();
}

}  // namespace

TEST_CASE("head guard: 100 headers and the empty line complete the head") {
  RequestHeadGuard g;
  CHECK(feed_bytewise(g, head_with(100) + "\r\n") == Verdict::Complete);
  CHECK(g.headers() == 100);
}

TEST_CASE("head guard: the 101st header line is refused as it starts") {
  RequestHeadGuard g;
  CHECK(feed_bytewise(g, head_with(100)) == Verdict::Reading);
  CHECK(g.feed("X", 1) == Verdict::TooLarge);
}

TEST_CASE("head guard: more than 64 KiB of headers is refused, whatever their count") {
  RequestHeadGuard g;
  // 8 lines of 8,000 bytes = 64,000 bytes: fine; one more byte line of 2 KiB crosses 65,536.
  CHECK(feed_bytewise(g, head_with(8, 8000)) == Verdict::Reading);
  const auto more = std::string("X-Last: ") + std::string(2000, 'v');
  CHECK(g.feed(more.data(), more.size()) == Verdict::TooLarge);
}

TEST_CASE("head guard: bare LF line ends and a chunk holding head and body") {
  RequestHeadGuard g;
  const std::string s = "POST /x HTTP/1.1\nHost: a\nContent-Length: 3\n\nabc";
  CHECK(g.feed(s.data(), s.size()) == Verdict::Complete);
  CHECK(g.headers() == 2);
  CHECK(g.feed("\n\n\n", 3) == Verdict::Complete);  // the body is not the guard's business
}

TEST_CASE("head guard: the limits are configurable") {
  RequestHeadGuard g(HeadLimits{.max_headers = 2, .max_header_bytes = 1024});
  CHECK(feed_bytewise(g, head_with(2)) == Verdict::Reading);
  CHECK(g.feed("Y", 1) == Verdict::TooLarge);
}

TEST_CASE("head guard: a request line without an end is refused past 16 KiB") {
  RequestHeadGuard g;
  const std::string line = "GET /" + std::string(16 * 1024, 'a');
  CHECK(g.feed(line.data(), line.size()) == Verdict::RequestLineTooLong);
}

TEST_CASE("head guard: a header line without an end is refused past 64 KiB") {
  RequestHeadGuard g;
  const std::string s = "GET / HTTP/1.1\r\nX-Endless: " + std::string(64 * 1024, 'a');
  CHECK(g.feed(s.data(), s.size()) == Verdict::TooLarge);
}
