#include "ca/policy/csv_encoding.hpp"

#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ca/domain/error.hpp"

namespace inkan::policy {
namespace {

// The offset of the first octet that does not start a valid UTF-8 sequence (no overlong forms,
// no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b >> 6) != 2) return i;
      cp = (cp << 6) | (b & 0x3f);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return std::string_view::npos;
}

// "line 3, byte offset 41 (0x82 0xA0)": where an editor and `xxd` find it.
std::string where(std::string_view s, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset; ++i) line += s[i] == '\n';
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string octets;
  for (std::size_t i = offset; i < s.size() && i < offset + 2; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    octets += std::string(octets.empty() ? "" : " ") + "0x" + kHex[c >> 4] + kHex[c & 15];
  }
  return "line " + std::to_string(line) + ", byte offset " + std::to_string(offset) + " (" + octets + ")";
}

// CP932 → UTF-8 with iconv; on failure, the offset of the octet it stopped at.
struct Cp932Result {
  std::string text;
  std::size_t bad_offset = std::string_view::npos;
};

Cp932Result from_cp932(std::string_view in) {
  iconv_t cd = ::iconv_open("UTF-8", "CP932");
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw Error(ErrorCode::Io, "this system's iconv cannot convert CP932 (glibc's gconv modules are missing)");
  Cp932Result r;
  r.text.resize(in.size() * 3 + 16);  // a CP932 character (1-2 octets) is at most 3 octets of UTF-8
  char* src = const_cast<char*>(in.data());
  std::size_t src_left = in.size();
  char* dst = r.text.data();
  std::size_t dst_left = r.text.size();
  const std::size_t n = ::iconv(cd, &src, &src_left, &dst, &dst_left);
  const int err = errno;
  ::iconv_close(cd);
  if (n == static_cast<std::size_t>(-1) && (err == EILSEQ || err == EINVAL)) {
    r.bad_offset = static_cast<std::size_t>(src - in.data());
    return r;
  }
  if (n == static_cast<std::size_t>(-1))
    throw Error(ErrorCode::Io, "CP932 conversion failed: " + std::string(std::strerror(err)));
  r.text.resize(r.text.size() - dst_left);
  return r;
}

constexpr std::string_view kExcelHint =
    "Excel's \"CSV (comma delimited)\" is CP932 (Shift_JIS): pass --encoding cp932, or save as \"CSV UTF-8\"";

}  // namespace

std::optional<CsvEncoding> parse_csv_encoding(std::string_view name) {
  std::string n(name);
  for (auto& c : n) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n == "auto") return CsvEncoding::Auto;
  if (n == "utf-8" || n == "utf8") return CsvEncoding::Utf8;
  if (n == "cp932" || n == "shift_jis" || n == "sjis" || n == "windows-31j") return CsvEncoding::Cp932;
  return std::nullopt;
}

std::string_view to_string(CsvEncoding e) {
  switch (e) {
    case CsvEncoding::Auto: return "auto";
    case CsvEncoding::Utf8: return "utf-8";
    case CsvEncoding::Cp932: return "cp932";
  }
  return "auto";
}

DecodedCsv decode_csv(std::string_view bytes, CsvEncoding requested) {
  const std::size_t bad_utf8 = requested == CsvEncoding::Cp932 ? 0 : first_invalid_utf8(bytes);
  if (requested != CsvEncoding::Cp932 && bad_utf8 == std::string_view::npos)
    return {std::string(bytes), CsvEncoding::Utf8};
  if (requested == CsvEncoding::Utf8)
    throw Error(ErrorCode::InvalidArgument, "not valid UTF-8 at " + where(bytes, bad_utf8) + ". " + std::string(kExcelHint) +
                                                " (or --encoding auto)");
  auto cp932 = from_cp932(bytes);
  if (cp932.bad_offset == std::string_view::npos) return {std::move(cp932.text), CsvEncoding::Cp932};
  if (requested == CsvEncoding::Cp932)
    throw Error(ErrorCode::InvalidArgument, "not valid CP932 at " + where(bytes, cp932.bad_offset) +
                                                ". If the file is UTF-8, pass --encoding utf-8 (or --encoding auto)");
  throw Error(ErrorCode::InvalidArgument,
              "neither UTF-8 (not valid at " + where(bytes, bad_utf8) + ") nor CP932 (not valid at " +
                  where(bytes, cp932.bad_offset) + "). Save it from Excel as \"CSV UTF-8\", or pass --encoding "
                  "utf-8 or --encoding cp932 to see only that encoding's error");
}

}  // namespace inkan::policy
