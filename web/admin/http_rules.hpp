#pragma once
// The management site's small HTTP rules, kept pure so unit tests reach them: cookie names and
// attributes, the CSP, the peer address the throttles are keyed on, download file names, query
// strings and path segments.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/http/content_disposition.hpp"

namespace inkan::web::admin {

inline constexpr const char* kSessionCookie = "__Host-inkan-admin";
// The login form's nonce (no session exists yet to carry a CSRF token).
inline constexpr const char* kLoginNonceCookie = "__Host-inkan-admin-login";

// Like the portal's, plus the one script file of the site (confirm dialogs, password reveal).
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// True for "/admin" and every path under "/admin/".
bool is_admin_path(std::string_view path);

// The socket peer address as the throttles key it: an IPv4-mapped IPv6 address becomes the IPv4
// address ("::ffff:192.0.2.1" -> "192.0.2.1"), IPv6 hex is lower-cased. Never a header.
std::string normalize_peer_address(std::string_view address);

// The session cookie: __Host-, Secure, HttpOnly, SameSite=Strict, Path=/, no Max-Age (it ends
// with the browser; the server enforces idle and absolute timeouts).
std::string session_cookie(std::string_view token);
// The login form's nonce cookie, for the form's lifetime.
std::string login_nonce_cookie(std::string_view nonce);
// Deletes a __Host- cookie (Max-Age=0, same attributes).
std::string cleared_cookie(std::string_view name);

// The download headers live in web/http (the portal sends them too).
using web::ascii_filename;
using web::content_disposition;

// Percent-encoding of everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);
// "?a=1&b=x%20y" from the pairs whose value is not empty; "" when none are.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);

// Whether an Accept header asks for JSON (the script's fetch of a revealed password).
bool accepts_json(std::string_view accept);

// The '/'-separated segments after `prefix` ("/admin/certificates/AB/renew" with prefix
// "/admin/certificates/" -> {"AB", "renew"}). Empty segments are kept, so "a//b" is 3 segments.
std::vector<std::string> path_segments(std::string_view path, std::string_view prefix);

}  // namespace inkan::web::admin
