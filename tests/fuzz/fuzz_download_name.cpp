// Download-name sanitising: whatever the CN, the names we put in Content-Disposition, on disk
// and in zips hold no path separator, no control character (C0, DEL, C1), none of the
// characters Windows refuses, no bidirectional or invisible format character, are valid UTF-8,
// never start with '.', are never a Windows device name, never empty, never longer than
// kMaxFileStemOctets; and the characters of a CN that is valid UTF-8 are kept in order, one
// output character per input character, each either itself or '_', a Japanese one always itself.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/serial.hpp"
#include "ca/policy/download_name.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "web/http/content_disposition.hpp"

namespace {

// Strict UTF-8 → code points; nullopt when malformed (written apart from the code under test).
std::optional<std::vector<char32_t>> decode(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return std::nullopt;
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

bool japanese(char32_t cp) { return (cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF); }

bool forbidden(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  if (cp < 0x80 && std::string_view("/\\:*?\"<>|").find(static_cast<char>(cp)) != std::string_view::npos) return true;
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
         cp == 0x061C || cp == 0x200B || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

// The checks every file name we derive passes, whatever the CN.
void check_file_stem(const std::string& stem, std::string_view cn, bool keeps_space) {
  using namespace inkan;
  FUZZ_CHECK(!stem.empty() && stem.size() <= policy::kMaxFileStemOctets);
  FUZZ_CHECK(stem.rfind("acme_", 0) == 0 && stem.ends_with("_01234567"));
  FUZZ_CHECK(!policy::windows_reserved_name(stem));
  FUZZ_CHECK(inkan::fuzz::header_safe(stem));
  const auto out = decode(stem);
  FUZZ_CHECK(out.has_value());
  for (char32_t cp : *out) {
    FUZZ_CHECK(!forbidden(cp));
    if (!keeps_space) FUZZ_CHECK(cp != U' ' && cp != 0x3000);
  }
  // The CN part: between "acme_" and "_01234567".
  const auto part = decode(std::string_view(stem).substr(5, stem.size() - 5 - 9));
  FUZZ_CHECK(part.has_value() && !part->empty() && part->front() != U'.');
  const auto in = decode(cn);
  if (!in) return;
  // A '_' is put in front of a CN part that would be empty or start with '.'.
  const std::size_t shift = in->empty() || in->front() == U'.' ? 1 : 0;
  FUZZ_CHECK(part->size() <= in->size() + shift);
  for (std::size_t i = shift; i < part->size(); ++i) {
    const char32_t was = (*in)[i - shift], now = (*part)[i];
    FUZZ_CHECK(now == was || now == U'_');
    if (japanese(was)) FUZZ_CHECK(now == was);
  }
  // Cut only when the whole CN did not fit.
  if (part->size() < in->size() + shift) FUZZ_CHECK(stem.size() + 4 > policy::kMaxFileStemOctets);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace inkan;
  std::string_view cn(reinterpret_cast<const char*>(data), size);

  auto ascii = web::ascii_filename(cn);
  FUZZ_CHECK(!ascii.empty() && ascii.front() != '.' && ascii.size() <= 100);
  for (char c : ascii) FUZZ_CHECK(c >= 0x21 && c <= 0x7e && c != '"' && c != '/' && c != '\\');

  auto header = web::content_disposition(cn, "p12");
  FUZZ_CHECK(inkan::fuzz::header_safe(header));
  FUZZ_CHECK(header.rfind("attachment; filename=\"", 0) == 0);
  // Exactly the two quotes around the ASCII name: the CN cannot close the parameter early.
  FUZZ_CHECK(std::count(header.begin(), header.end(), '"') == 2);
  for (char c : header) FUZZ_CHECK(c >= 0x20 && c <= 0x7e);

  // The tenant id is validated before it gets here; the CN is the untrusted part.
  const auto serial = Serial::from_bytes({0x01, 0x23, 0x45, 0x67, 0x89});
  const auto stem = policy::credential_file_stem("acme", cn, serial);
  check_file_stem(stem, cn, false);
  const auto stem_code_points = decode(stem);  // kept: a temporary optional would not outlive the loop
  for (char32_t cp : *stem_code_points)
    if (cp < 0x80) FUZZ_CHECK(std::isalnum(static_cast<int>(cp)) || cp == U'.' || cp == U'_' || cp == U'-');
  const auto download = policy::download_file_stem("acme", cn, serial);
  check_file_stem(download, cn, true);
  // And the header built from it carries it whole, percent-encoded.
  FUZZ_CHECK(web::content_disposition(download, "p12").find('\r') == std::string::npos);
  return 0;
}
