#include "web/http/content_disposition.hpp"

#include "ca/domain/percent_encoding.hpp"

namespace inkan::web {
namespace {

constexpr std::size_t kMaxFilename = 100;

bool name_character(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

// RFC 8187 attr-char, less the few punctuation marks: unreserved characters stay, every other
// octet is %XX.
bool attr_character(unsigned char c) { return name_character(c) || c == '~'; }

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
         percent_encode(stem, attr_character) + "." + ext;
}

}  // namespace inkan::web
