// The JSON body of POST /api/v1/renew: never throws; accepts only {} and
// {"p12_profile": "compat"|"modern"}, so an accepted body is small and names a known profile.
#include <string_view>

#include "tests/fuzz/fuzz_check.hpp"
#include "web/api/renew_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = inkan::web::parse_renew_body(text);
  if (body && *body) {
    FUZZ_CHECK(**body == inkan::P12Profile::Compat || **body == inkan::P12Profile::Modern);
    FUZZ_CHECK(text.find("p12_profile") != std::string_view::npos || text.find('\\') != std::string_view::npos);
  }
  return 0;
}
