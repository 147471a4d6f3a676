#include "web/http/content_disposition.hpp"

namespace inkan::web {
namespace {

constexpr std::size_t kMaxFilename = 100;

bool name_character(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// RFC 8187 attr-char, less the few punctuation marks: unreserved characters stay, every other
// octet is %XX.
std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (name_character(c) || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string ascii_filename(std::string_view stem) {
  std::string out;
  for (unsigned char c : stem) {
    if (out.size() >= kMaxFilename) break;
    if (c >= 0x80 && c < 0xC0) continue;  // a continuation octet: its character already gave a '_'
    out += name_character(c) ? static_cast<char>(c) : '_';
  }
  while (!out.empty() && out.front() == '.') out.front() = '_';
  return out.empty() ? "certificate" : out;
}

std::string content_disposition(std::string_view stem, std::string_view extension) {
  const std::string ext = ascii_filename(extension);
  return "attachment; filename=\"" + ascii_filename(stem) + "." + ext + "\"; filename*=UTF-8''" +
         percent_encode(stem) + "." + ext;
}

}  // namespace inkan::web
