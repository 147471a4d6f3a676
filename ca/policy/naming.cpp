#include "ca/policy/naming.hpp"

#include "ca/domain/error.hpp"

namespace inkan::policy {
namespace {

[[noreturn]] void invalid(std::string_view field, std::string_view value, std::string_view why) {
  throw Error(ErrorCode::InvalidArgument,
              "invalid " + std::string(field) + " '" + std::string(value) + "': " + std::string(why));
}

// Counts code points; returns -1 for malformed UTF-8 or a control character.
long utf8_length_without_controls(std::string_view s) {
  long count = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return -1;
    if (c < 0x20 || c == 0x7f) return -1;
    i += len;
    ++count;
  }
  return count;
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
  long n = utf8_length_without_controls(cn);
  if (n < 0) invalid("common name", "", "must be UTF-8 text without control characters");
  if (n == 0 || n > 64) invalid("common name", cn, "must be 1 to 64 characters");
  if (cn.front() == ' ' || cn.back() == ' ') invalid("common name", cn, "must not start or end with a space");
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

std::string credential_file_stem(std::string_view tenant_id, std::string_view cn, const Serial& serial) {
  std::string safe_cn;
  for (char c : cn) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-';
    safe_cn += ok ? c : '_';
  }
  if (safe_cn.empty() || safe_cn[0] == '.') safe_cn.insert(safe_cn.begin(), '_');
  return std::string(tenant_id) + "_" + safe_cn + "_" + serial.hex().substr(0, 8);
}

}  // namespace inkan::policy
