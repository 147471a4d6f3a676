#include "ca/policy/naming.hpp"

#include <vector>

#include "ca/domain/error.hpp"

namespace inkan::policy {
namespace {

[[noreturn]] void invalid(std::string_view field, std::string_view value, std::string_view why) {
  throw Error(ErrorCode::InvalidArgument,
              "invalid " + std::string(field) + " '" + std::string(value) + "': " + std::string(why));
}

// Decodes UTF-8 into code points; false for malformed input (overlong forms and surrogates
// included) or a control character (C0, DEL, C1).
bool decode_without_controls(std::string_view s, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b >> 6) != 2) return false;
      cp = (cp << 6) | (b & 0x3f);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return false;
    out.push_back(cp);
    i += len;
  }
  return true;
}

long utf8_length_without_controls(std::string_view s) {
  std::vector<char32_t> cps;
  return decode_without_controls(s, cps) ? static_cast<long>(cps.size()) : -1;
}

// Marks that reorder how text is displayed: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
bool is_bidi_control(char32_t cp) {
  return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
         cp == 0x061c;
}

}  // namespace

void validate_tenant_id(std::string_view id) {
  if (id.empty() || id.size() > 63) invalid("tenant id", id, "must be 1 to 63 characters");
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '-' || c == '_'));
    if (!ok) invalid("tenant id", id, "use lowercase letters, digits, '-' and '_', starting with a letter or digit");
  }
}

void validate_common_name(std::string_view cn) {
  std::vector<char32_t> cps;
  if (!decode_without_controls(cn, cps)) invalid("common name", "", "must be UTF-8 text without control characters");
  if (cps.empty() || cps.size() > 64) invalid("common name", cn, "must be 1 to 64 characters");
  if (cn.front() == ' ' || cn.back() == ' ') invalid("common name", cn, "must not start or end with a space");
  for (char32_t cp : cps) {
    // Checked before anything is reserved: these failed only in the p12, after the commit.
    if (cp > 0xffff)
      invalid("common name", "", "characters above U+FFFF (emoji and others) cannot be stored in the p12's "
                                 "friendlyName (a BMPString); use characters of the Basic Multilingual Plane");
    if (is_bidi_control(cp))
      invalid("common name", "", "must not contain bidirectional control characters (U+202A-U+202E, "
                                 "U+2066-U+2069, U+200E, U+200F, U+061C): they make a name display as another");
  }
}

void validate_display_name(std::string_view name, std::string_view field) {
  long n = utf8_length_without_controls(name);
  if (n < 0) invalid(field, "", "must be UTF-8 text without control characters");
  if (n == 0 || n > 256) invalid(field, name, "must be 1 to 256 characters");
}

void validate_email(std::string_view email) {
  auto at = email.find('@');
  if (email.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos)
    invalid("email", email, "expected local@domain");
  for (char c : email)
    if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';')
      invalid("email", email, "only printable ASCII without spaces is allowed");
}

void validate_crl_url(std::string_view url) {
  if (!(url.starts_with("http://") || url.starts_with("https://")) || url.size() > 2000)
    invalid("CRL URL", url, "must start with http:// or https://");
  for (char c : url)
    if (c <= ' ' || c >= 0x7f) invalid("CRL URL", url, "only printable ASCII without spaces is allowed");
}

void validate_ocsp_url(std::string_view url) {
  if (!url.starts_with("http://") || url.size() <= 7 || url.size() > 2000)
    invalid("OCSP URL", url, "must start with http:// (clients fetch OCSP over plain HTTP: responses are signed)");
  for (char c : url)
    if (c <= ' ' || c >= 0x7f) invalid("OCSP URL", url, "only printable ASCII without spaces is allowed");
}

std::string friendly_name(std::string_view cn, Timestamp issued_at) {
  return std::string(cn) + " (" + format_date(issued_at) + ")";
}

}  // namespace inkan::policy
