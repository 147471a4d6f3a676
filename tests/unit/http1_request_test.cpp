// The OCSP listener's HTTP/1.x request reader (web/server/http1_request.hpp): what nginx and
// openssl send, keep-alive rules, pipelining, bodies arriving in pieces, and every refusal.
#include <catch2/catch_test_macros.hpp>

#include <string>

#include "web/server/http1_request.hpp"

using namespace inkan::web;

namespace {

Http1Parse parse_all(const std::string& bytes, Http1Limits limits = {}) {
  Http1RequestReader reader(limits);
  return reader.parse(bytes);
}

}  // namespace

TEST_CASE("http1: nginx's OCSP GET, percent-decoded, HTTP/1.0 closes") {
  const std::string get = "GET /ocsp/MEIwQDA%2BMDwwOjAJ%2FBgUr%3D HTTP/1.0\r\nHost: ocsp.example\r\n\r\n";
  auto p = parse_all(get + "GET /next");
  REQUIRE(p.outcome == Http1Outcome::Complete);
  CHECK(p.request.method == "GET");
  CHECK(p.request.path == "/ocsp/MEIwQDA+MDwwOjAJ/BgUr=");
  CHECK(p.request.header("host") == "ocsp.example");
  CHECK_FALSE(p.keep_alive);
  CHECK(p.consumed == get.size());
}

TEST_CASE("http1: a POST body arriving in pieces, then a pipelined request") {
  const std::string first = "POST /ocsp HTTP/1.1\r\nContent-Type: application/ocsp-request\r\nContent-Length: 5\r\n\r\nABCDE";
  const std::string second = "GET /crl?a=1&b=x%41 HTTP/1.1\nConnection: close\n\n";
  const std::string all = first + second;
  Http1RequestReader reader;
  for (std::size_t n = 1; n < first.size(); ++n) CHECK(reader.parse(std::string_view(all).substr(0, n)).outcome == Http1Outcome::NeedMore);
  auto p = reader.parse(all);
  REQUIRE(p.outcome == Http1Outcome::Complete);
  CHECK(p.request.body == "ABCDE");
  CHECK(p.keep_alive);
  CHECK(p.consumed == first.size());
  reader.reset();
  auto q = reader.parse(std::string_view(all).substr(p.consumed));
  REQUIRE(q.outcome == Http1Outcome::Complete);
  CHECK(q.request.path == "/crl");
  CHECK(q.request.param("b") == "xA");
  CHECK_FALSE(q.keep_alive);
}

TEST_CASE("http1: keep-alive asked by HTTP/1.0, refused by HTTP/1.1 'close'") {
  CHECK(parse_all("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
  CHECK_FALSE(parse_all("GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n").keep_alive);
  CHECK(parse_all("GET / HTTP/1.1\r\n\r\n").keep_alive);
}

TEST_CASE("http1: refusals and their statuses") {
  CHECK(parse_all("POST /ocsp HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").status == 411);
  CHECK(parse_all("POST /ocsp HTTP/1.1\r\n\r\n").status == 411);
  CHECK(parse_all("POST /ocsp HTTP/1.1\r\nContent-Length: 65537\r\n\r\n").status == 413);
  CHECK(parse_all("POST /ocsp HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n").status == 400);
  CHECK(parse_all("POST /ocsp HTTP/1.1\r\nContent-Length: -5\r\n\r\n").status == 400);
  CHECK(parse_all("GET / HTTP/2.0\r\n\r\n").status == 505);
  CHECK(parse_all("GET / FOO/1.1\r\n\r\n").status == 400);
  CHECK(parse_all("GET http://x/ HTTP/1.1\r\n\r\n").status == 400);
  CHECK(parse_all("GET  / HTTP/1.1\r\n\r\n").status == 400);
  CHECK(parse_all("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n").status == 400);
  CHECK(parse_all("GET / HTTP/1.1\r\nBad Name: a\r\n\r\n").status == 400);
  CHECK(parse_all("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n").status == 400);
  CHECK(parse_all("GET /" + std::string(9000, 'A') + " HTTP/1.1\r\n\r\n").status == 414);
  CHECK(parse_all("GET /" + std::string(20000, 'A')).status == 414);  // refused before its end arrives
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  CHECK(parse_all(many).status == 431);  // before the head ends
  CHECK(parse_all("GET / HTTP/1.1\r\nX: " + std::string(70000, 'v')).status == 431);
}

TEST_CASE("http1: a refusal stays a refusal") {
  Http1RequestReader reader;
  const std::string bad = "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(reader.parse(bad).status == 411);
  CHECK(reader.parse(bad + "more").status == 411);
}
