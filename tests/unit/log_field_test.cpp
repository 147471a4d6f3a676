// Issue 14 item 7: every logged field is one line of printable text.
#include <catch2/catch_test_macros.hpp>

#include "web/http/log_field.hpp"

using inkan::web::log_field;

TEST_CASE("log field: CR, LF, ESC and other controls are escaped") {
  CHECK(log_field("/x\r\n1.2.3.4 \"POST /api/v1/renew\" 200") == "/x\\x0D\\x0A1.2.3.4 \\x22POST /api/v1/renew\\x22 200");
  CHECK(log_field("\x1b[2J\x7f\t") == "\\x1B[2J\\x7F\\x09");
  CHECK(log_field(std::string("a\0b", 3)) == "a\\x00b");
}

TEST_CASE("log field: bytes outside printable ASCII, the quote and the backslash are escaped") {
  CHECK(log_field("\xe2\x80\xae") == "\\xE2\\x80\\xAE");  // U+202E RIGHT-TO-LEFT OVERRIDE
  CHECK(log_field("a\\b") == "a\\x5Cb");
  CHECK(log_field("/admin/login?x=1") == "/admin/login?x=1");
}
