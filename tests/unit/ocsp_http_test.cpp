// The HTTP rules of the OCSP routes (web/ocsp/ocsp_http.hpp): the GET path's request as nginx
// and other clients spell it, and the caching headers' values.
#include <catch2/catch_test_macros.hpp>

#include "web/ocsp/ocsp_http.hpp"

namespace inkan::web {

TEST_CASE("a GET path's request decodes however it was escaped", "[ocsp]") {
  const Bytes der{0xfb, 0xef, 0xff, 0x30, 0x03};  // base64 "++//MAM=" uses '+', '/' and '='
  CHECK(ocsp_request_from_path("++//MAM=", 64) == der);
  CHECK(ocsp_request_from_path("%2B%2B%2F%2FMAM%3D", 64) == der);  // nginx: ngx_escape_uri
  CHECK(ocsp_request_from_path("%2b%2b%2f%2fMAM%3d", 64) == der);
  CHECK(ocsp_request_from_path("--__MAM", 64) == der);  // base64url, no padding
}

TEST_CASE("a GET path that does not decode, or decodes too long, is refused", "[ocsp]") {
  CHECK_FALSE(ocsp_request_from_path("", 64));
  CHECK_FALSE(ocsp_request_from_path("%", 64));
  CHECK_FALSE(ocsp_request_from_path("%2", 64));
  CHECK_FALSE(ocsp_request_from_path("%zz", 64));
  CHECK_FALSE(ocsp_request_from_path("MA M", 64));
  CHECK_FALSE(ocsp_request_from_path("!!!!", 64));
  CHECK_FALSE(ocsp_request_from_path("AAAAAAAA", 5));  // 6 octets
  CHECK(ocsp_request_from_path("AAAAAAAA", 6));
  CHECK_FALSE(ocsp_request_from_path(std::string(10000, 'A'), 64));
}

TEST_CASE("max-age never passes nextUpdate and stays under the cap", "[ocsp]") {
  const Timestamp now{std::chrono::seconds(1'800'000'000)};
  CHECK(ocsp_max_age_seconds(now, now + std::chrono::hours(1), 60) == 60);
  CHECK(ocsp_max_age_seconds(now, now + std::chrono::seconds(10), 60) == 10);
  CHECK(ocsp_max_age_seconds(now, now - std::chrono::seconds(10), 60) == 0);
}

TEST_CASE("HTTP dates are RFC 9110 IMF-fixdate in GMT", "[ocsp]") {
  CHECK(http_date(Timestamp{std::chrono::seconds(784111777)}) == "Sun, 06 Nov 1994 08:49:37 GMT");
}

}  // namespace inkan::web
