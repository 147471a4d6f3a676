// HTTP parameter parsing: form bodies and cookies (percent-decoding), base64, media types, path
// segments and peer addresses, all on arbitrary bytes. None may throw or read out of bounds.
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_check.hpp"
#include "web/admin/http_rules.hpp"
#include "web/http/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace inkan::web;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto form = parse_form(text);
  for (const auto& [name, value] : form) FUZZ_CHECK(name.size() + value.size() <= size);
  auto cookies = parse_cookies(text);
  for (const auto& [name, value] : cookies) FUZZ_CHECK(name.size() + value.size() <= size);

  if (auto decoded = base64_decode(text)) {
    // What decodes re-encodes to something that decodes to the same bytes.
    auto again = base64_decode(base64_encode(*decoded));
    FUZZ_CHECK(again && *again == *decoded);
  }
  Bytes raw(data, data + size);
  auto encoded = base64_encode(raw);
  auto back = base64_decode(encoded);
  FUZZ_CHECK(back && *back == raw);

  auto type = media_type(text);
  for (char c : type) FUZZ_CHECK(!(c >= 'A' && c <= 'Z') && c != ';');

  std::string path = "/admin/certificates/" + std::string(text);
  auto segments = admin::path_segments(path, "/admin/certificates/");
  for (const auto& s : segments) FUZZ_CHECK(s.find('/') == std::string::npos);
  (void)admin::is_admin_path(text);
  (void)admin::normalize_peer_address(text);
  (void)admin::accepts_json(text);

  auto q = admin::query_string({{"q", std::string(text)}, {"page", "2"}});
  // Encoded parameters hold only unreserved characters, '%' escapes and the separators.
  for (char c : q)
    FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               std::string_view("-._~%?=&").find(c) != std::string_view::npos);
  return 0;
}
