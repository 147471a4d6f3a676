#include "ca/policy/download_name.hpp"

#include <utility>

namespace inkan::policy {
namespace {

constexpr char32_t kMalformed = 0xFFFFFFFF;

// The code point at `i` and its length in octets; a malformed sequence (overlong forms and
// surrogates included) is one octet of kMalformed.
std::pair<char32_t, std::size_t> decode_at(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return {kMalformed, 1};
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b >> 6) != 2) return {kMalformed, 1};
    cp = (cp << 6) | (b & 0x3f);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {kMalformed, 1};
  return {cp, len};
}

bool unicode_space(char32_t cp) {
  return cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
         cp == 0x3000;
}

// Controls, format characters (bidirectional marks reorder how a name displays:
// "invoice\u202Efdp.exe" shows as "invoiceexe.pdf"), invisible ones, and non-characters.
bool refused_non_ascii(char32_t cp) {
  return cp <= 0x9f || cp == 0xad || cp == 0x061c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || (cp >= 0xfdd0 && cp <= 0xfdef) ||
         cp == 0xfeff || (cp >= 0xfff0 && cp <= 0xffff) || (cp >= 0xe0000 && cp <= 0xe007f) ||
         (cp & 0xfffe) == 0xfffe;
}

enum class AsciiKept { NameCharacters, Printable };

bool ascii_kept(char c, AsciiKept rule) {
  if (rule == AsciiKept::NameCharacters)
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  if (c < 0x20 || c == 0x7f) return false;
  return std::string_view("/\\\"*:<>?|").find(c) == std::string_view::npos;
}

// The CN as a piece of a file name, at most `max_octets`.
std::string name_part(std::string_view cn, AsciiKept rule, std::size_t max_octets) {
  std::string out;
  for (std::size_t i = 0; i < cn.size();) {
    const auto [cp, len] = decode_at(cn, i);
    std::string_view piece = "_";
    if (cp < 0x80) {
      if (ascii_kept(cn[i], rule)) piece = cn.substr(i, 1);
    } else if (cp != kMalformed && !refused_non_ascii(cp) && !(rule == AsciiKept::NameCharacters && unicode_space(cp))) {
      piece = cn.substr(i, len);
    }
    if (out.size() + piece.size() > max_octets) break;  // never inside a character
    out += piece;
    i += len;
  }
  if (out.empty() || out.front() == '.') {
    out.insert(out.begin(), '_');
    while (out.size() > max_octets && out.size() > 1) {  // make room: drop the last character
      std::size_t cut = out.size() - 1;
      while (cut > 1 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
      out.resize(cut);
    }
  }
  return out;
}

std::string stem(std::string_view tenant_id, std::string_view cn, const Serial& serial, AsciiKept rule) {
  // "<tenant>_" + cn + "_" + 8 hex digits; the tenant id (validated: at most 63) leaves >= 96.
  const std::size_t fixed = tenant_id.size() + 1 + 1 + 8;
  const std::size_t budget = kMaxFileStemOctets > fixed + 1 ? kMaxFileStemOctets - fixed : 1;
  std::string out = std::string(tenant_id) + "_" + name_part(cn, rule, budget) + "_" + serial.hex().substr(0, 8);
  if (windows_reserved_name(out)) out.insert(out.begin(), '_');  // not reachable with a valid tenant id
  return out;
}

}  // namespace

bool windows_reserved_name(std::string_view name) {
  name = name.substr(0, name.find('.'));
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);  // "CON .txt" is CON too
  auto upper = [](std::string_view s) {
    std::string u(s);
    for (auto& c : u) if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return u;
  };
  const std::string u = upper(name);
  for (std::string_view device : {"CON", "PRN", "AUX", "NUL"})
    if (u == device) return true;
  if (u.size() < 4) return false;
  const std::string_view head = std::string_view(u).substr(0, 3);
  if (head != "COM" && head != "LPT") return false;
  const std::string_view digit = std::string_view(u).substr(3);
  if (digit.size() == 1) return digit[0] >= '1' && digit[0] <= '9';
  return digit == "\xC2\xB9" || digit == "\xC2\xB2" || digit == "\xC2\xB3";  // ¹ ² ³
}

std::string credential_file_stem(std::string_view tenant_id, std::string_view cn, const Serial& serial) {
  return stem(tenant_id, cn, serial, AsciiKept::NameCharacters);
}

std::string download_file_stem(std::string_view tenant_id, std::string_view cn, const Serial& serial) {
  return stem(tenant_id, cn, serial, AsciiKept::Printable);
}

}  // namespace inkan::policy
