// Download-name sanitising: whatever the CN, the names we put in Content-Disposition and on disk
// hold no path separator, no NUL/CR/LF, no quote, never start with '.' (so are never "." or
// ".."), and are never empty.
#include <algorithm>
#include <string>
#include <string_view>

#include "ca/domain/serial.hpp"
#include "ca/policy/download_name.hpp"
#include "ca/policy/naming.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "web/admin/http_rules.hpp"

namespace {
bool path_safe(std::string_view s) {
  return !s.empty() && s.front() != '.' && s.find_first_of("/\\\"") == std::string_view::npos &&
         inkan::fuzz::header_safe(s);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace inkan;
  std::string_view cn(reinterpret_cast<const char*>(data), size);

  auto ascii = web::admin::ascii_filename(cn);
  FUZZ_CHECK(path_safe(ascii) && ascii.size() <= 100);
  for (char c : ascii) FUZZ_CHECK(c >= 0x21 && c <= 0x7e);

  auto header = web::admin::content_disposition(cn, "p12");
  FUZZ_CHECK(inkan::fuzz::header_safe(header));
  FUZZ_CHECK(header.rfind("attachment; filename=\"", 0) == 0);
  // Exactly the two quotes around the ASCII name: the CN cannot close the parameter early.
  FUZZ_CHECK(std::count(header.begin(), header.end(), '"') == 2);
  for (char c : header) FUZZ_CHECK(c >= 0x20 && c <= 0x7e);

  // The tenant id is validated before it gets here; the CN is the untrusted part.
  auto stem = policy::credential_file_stem("acme", cn, Serial::from_bytes({0x01, 0x23, 0x45, 0x67, 0x89}));
  FUZZ_CHECK(path_safe(stem));
  auto download = policy::download_file_stem("acme", cn, Serial::from_bytes({0x01, 0x23, 0x45, 0x67, 0x89}));
  FUZZ_CHECK(path_safe(download) && download.size() <= 5 + 1 + 120 + 1 + 8 + 1);
  FUZZ_CHECK(web::admin::content_disposition(download, "p12").find('\r') == std::string::npos);
  return 0;
}
