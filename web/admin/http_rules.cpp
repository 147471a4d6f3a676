#include "web/admin/http_rules.hpp"

#include <algorithm>
#include <cctype>

namespace inkan::web::admin {
namespace {

constexpr std::string_view kCookieAttributes = "; Path=/; Secure; HttpOnly; SameSite=Strict";

bool is_dotted_ipv4(std::string_view s) {
  int dots = 0, digits = 0;
  for (char c : s) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots, digits = 0;
    } else if (std::isdigit(static_cast<unsigned char>(c)) && ++digits <= 3) {
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

bool unreserved(unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

}  // namespace

bool is_admin_path(std::string_view path) { return path == "/admin" || path.starts_with("/admin/"); }

std::string normalize_peer_address(std::string_view address) {
  std::string s(address);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  constexpr std::string_view kMapped = "::ffff:";
  if (s.starts_with(kMapped) && is_dotted_ipv4(std::string_view(s).substr(kMapped.size())))
    return s.substr(kMapped.size());
  return s;
}

std::string session_cookie(std::string_view token) {
  return std::string(kSessionCookie) + "=" + std::string(token) + std::string(kCookieAttributes);
}

std::string login_nonce_cookie(std::string_view nonce) {
  return std::string(kLoginNonceCookie) + "=" + std::string(nonce) + "; Max-Age=3600" + std::string(kCookieAttributes);
}

std::string cleared_cookie(std::string_view name) {
  return std::string(name) + "=; Max-Age=0" + std::string(kCookieAttributes);
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out += char(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    out += out.empty() ? "?" : "&";
    out += url_encode(k) + "=" + url_encode(v);
  }
  return out;
}

bool accepts_json(std::string_view accept) {
  std::string s(accept);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s.find("application/json") != std::string::npos;
}

std::vector<std::string> path_segments(std::string_view path, std::string_view prefix) {
  std::vector<std::string> out;
  if (!path.starts_with(prefix)) return out;
  path.remove_prefix(prefix.size());
  if (path.empty()) return out;
  while (true) {
    auto slash = path.find('/');
    out.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace inkan::web::admin
