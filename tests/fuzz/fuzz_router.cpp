// Router::dispatch (web/http/router.cpp): route matching by method and path (exact and prefix routes,
// HEAD as GET), 404/405 for unknown paths in the error style of the path's site, handler errors
// turned into responses without their text, and the security headers on every response. The
// routes have the shapes the app registers (web/*/routes), with stand-in handlers that parse
// what the real ones parse ({serial} and {name}/{action} path segments, forms, cookies, query)
// and, on request, throw; the error pages are the real ones (templates, language negotiation).
//
// Input, text: line 1 the method, line 2 the path (percent-decoded, so any byte can reach the
// router, as cpp-httplib decodes paths), line 3 the query string (decoded like a form), then
// "name: value" header lines up to an empty line, then the body.
// Query parameter "fail" makes the handler throw: "E<n>" an inkan::Error with code n (mod 12),
// "X" a std::runtime_error, "L" a std::logic_error; anything else, no throw.
#include <cstdint>
#include <exception>
#include <stdexcept>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/error.hpp"
#include "ca/domain/serial.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "web/admin/http_rules.hpp"
#include "web/admin/pages.hpp"
#include "web/http/encoding.hpp"
#include "web/http/error_status.hpp"
#include "web/portal/pages.hpp"
#include "web/http/router.hpp"

namespace {

using namespace inkan;
using namespace inkan::web;

// The marker in every exception's text: no response may carry it.
constexpr std::string_view kSecret = "fuzz-secret-4f1c";

struct Spec {
  const char* method;
  const char* path;
  bool prefix;
  ErrorStyle style;
  int segments;  // prefix routes: 1 = {serial}[/{p12|zip}], 2 = {name}/{action}, 0 = any rest
};

// The app's shapes: portal, downloads, static files, API, EST, management site.
const Spec kRoutes[] = {
    {"GET", "/", false, ErrorStyle::Html, 0},
    {"POST", "/renew", false, ErrorStyle::Html, 0},
    {"GET", "/download/", true, ErrorStyle::Html, 0},
    {"GET", "/static/", true, ErrorStyle::Html, 0},
    {"GET", "/lang/ja", false, ErrorStyle::Html, 0},
    {"GET", "/ca.pem", false, ErrorStyle::Text, 0},
    {"GET", "/api/v1/me", false, ErrorStyle::Json, 0},
    {"POST", "/api/v1/renew", false, ErrorStyle::Json, 0},
    {"GET", "/.well-known/est/cacerts", false, ErrorStyle::Text, 0},
    {"POST", "/.well-known/est/simplereenroll", false, ErrorStyle::Text, 0},
    {"GET", "/admin", false, ErrorStyle::AdminHtml, 0},
    {"GET", "/admin/", false, ErrorStyle::AdminHtml, 0},
    {"POST", "/admin/login", false, ErrorStyle::AdminHtml, 0},
    {"GET", "/admin/certificates", false, ErrorStyle::AdminHtml, 0},
    {"GET", "/admin/certificates/new", false, ErrorStyle::AdminHtml, 0},
    {"POST", "/admin/certificates/new", false, ErrorStyle::AdminHtml, 0},
    {"GET", "/admin/certificates/", true, ErrorStyle::AdminHtml, 1},
    {"POST", "/admin/certificates/", true, ErrorStyle::AdminHtml, 1},
    {"POST", "/admin/users/", true, ErrorStyle::AdminHtml, 2},
};
constexpr int kRouteCount = static_cast<int>(sizeof(kRoutes) / sizeof(kRoutes[0]));

int g_ran = -1;         // the index of the route whose handler ran
bool g_threw = false;  // and whether it threw (it may answer 404 first)

// web/admin/certificate_pages.cpp's serial_from.
std::optional<Serial> serial_from(const std::string& segment) {
  if (segment.empty() || segment.size() > 40 || segment.find_first_not_of("0123456789ABCDEFabcdef") != std::string::npos)
    return std::nullopt;
  try {
    return Serial::parse(segment);
  } catch (const Error&) {
    return std::nullopt;
  }
}

Response handle(int index, const Request& req) {
  const Spec& spec = kRoutes[index];
  g_ran = index;
  FUZZ_CHECK(req.method == spec.method || (req.method == "HEAD" && std::string_view(spec.method) == "GET"));
  if (spec.prefix) {
    FUZZ_CHECK(req.path.starts_with(spec.path));
    const auto parts = admin::path_segments(req.path, spec.path);
    // The parameters: no '/', and joined again they are the rest of the path.
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      FUZZ_CHECK(parts[i].find('/') == std::string::npos);
      joined += (i ? "/" : "") + parts[i];
    }
    FUZZ_CHECK(joined == req.path.substr(std::string_view(spec.path).size()));
    if (spec.segments == 1) {
      const auto serial = parts.empty() ? std::nullopt : serial_from(parts[0]);
      if (!serial || parts.size() > 2) return admin::error_page(req, 404);
      FUZZ_CHECK(serial->bytes().size() >= 1 && serial->bytes().size() <= 20);
      FUZZ_CHECK(serial_from(serial->hex()) == serial);
    } else if (spec.segments == 2) {
      if (parts.size() != 2) return admin::error_page(req, 404);
    }
  }
  if (std::string_view(spec.method) == "POST" && media_type(req.header("content-type")) == "application/x-www-form-urlencoded") {
    for (const auto& [name, value] : parse_form(req.body)) FUZZ_CHECK(name.size() + value.size() <= req.body.size());
  }
  const auto cookies = parse_cookies(req.header("cookie"));
  (void)cookies;

  const std::string fail = req.param("fail");
  const std::string why = std::string(kSecret) + " " + req.path;
  g_threw = fail.starts_with("E") || fail == "X" || fail == "L";
  if (fail.starts_with("E")) {
    unsigned n = 0;
    for (char c : fail.substr(1)) n = n * 10 + static_cast<unsigned char>(c) % 10;
    throw Error(static_cast<ErrorCode>(n % 12), why);
  }
  if (fail == "X") throw std::runtime_error(why);
  if (fail == "L") throw std::logic_error(why);

  Response r;
  r.body = "ok";
  if (spec.style == ErrorStyle::AdminHtml) return admin::secured(std::move(r));
  if (spec.style == ErrorStyle::Json) r.content_type = "application/json";
  return r;
}

const Router& router() {
  static const Router r = [] {
    // dispatch logs handler errors to std::cerr; at fuzzing speed that is only noise.
    std::cerr.setstate(std::ios::badbit);
    Router out;
    for (int i = 0; i < kRouteCount; ++i) {
      const Spec& s = kRoutes[i];
      auto h = [i](const Request& req) { return handle(i, req); };
      const bool get = std::string_view(s.method) == "GET";
      if (s.prefix)
        get ? out.get_prefix(s.path, h, s.style) : out.post_prefix(s.path, h, s.style);
      else
        get ? out.get(s.path, h, s.style) : out.post(s.path, h, s.style);
    }
    return out;
  }();
  return r;
}

// The reference model of Router::find: an exact route, else the longest prefix route.
int model_find(std::string_view method, std::string_view path) {
  int best = -1;
  for (int i = 0; i < kRouteCount; ++i) {
    const Spec& s = kRoutes[i];
    if (method != s.method) continue;
    if (!s.prefix && path == s.path) return i;
    if (s.prefix && path.starts_with(s.path) &&
        (best < 0 || std::string_view(s.path).size() > std::string_view(kRoutes[best].path).size()))
      best = i;
  }
  return best;
}

std::string percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string_view next_line(std::string_view& text) {
  const auto nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

int count_header(const Response& r, std::string_view name) {
  int n = 0;
  for (const auto& [k, v] : r.headers) n += k == name;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Request req;
  req.method = std::string(next_line(text));
  req.path = percent_decode(next_line(text));
  req.query = parse_form(next_line(text));
  while (!text.empty()) {
    std::string_view line = next_line(text);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (value.starts_with(' ')) value.remove_prefix(1);
    req.headers[lower(line.substr(0, colon))] = std::string(value);
  }
  req.body = std::string(text);
  req.remote_addr = "192.0.2.1";

  const Router& r = router();
  g_ran = -1;
  g_threw = false;
  Response resp;
  try {
    resp = r.dispatch(req);
  } catch (...) {
    // Handler errors become responses; the error pages themselves never throw.
    const bool dispatch_threw = true;
    FUZZ_CHECK(!dispatch_threw);
  }

  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  const int expected = model_find(method, req.path);
  FUZZ_CHECK(g_ran == expected);
  FUZZ_CHECK(resp.status >= 200 && resp.status <= 599);

  // Security headers: every one, exactly once; only the management site's CSP and a handler's
  // Cache-Control may differ from the baseline.
  for (const auto& [name, value] : baseline_security_headers()) {
    FUZZ_CHECK(count_header(resp, name) == 1);
    for (const auto& [k, v] : resp.headers)
      if (k == name && name != "Cache-Control")
        FUZZ_CHECK(v == value || (name == "Content-Security-Policy" && v == admin::kContentSecurityPolicy));
  }
  for (const auto& [k, v] : resp.headers) FUZZ_CHECK(inkan::fuzz::header_safe(k) && inkan::fuzz::header_safe(v));
  // No exception's text reaches the client.
  FUZZ_CHECK(resp.body.find(kSecret) == std::string::npos);

  ErrorStyle style;
  if (expected < 0) {
    // Unknown path or method: 404, or 405 when the other of GET/POST has the path.
    const bool other = model_find(method == "GET" ? "POST" : "GET", req.path) >= 0;
    FUZZ_CHECK(resp.status == (other ? 405 : 404));
    style = req.path.starts_with("/api/")            ? ErrorStyle::Json
            : req.path.starts_with("/.well-known/")  ? ErrorStyle::Text
            : admin::is_admin_path(req.path)          ? ErrorStyle::AdminHtml
                                                      : ErrorStyle::Html;
  } else {
    style = kRoutes[expected].style;
    const std::string fail = req.param("fail");
    if (!g_threw) {
      FUZZ_CHECK(resp.status == 200 || resp.status == 404);
    } else if (fail.starts_with("E")) {
      unsigned n = 0;
      for (char c : fail.substr(1)) n = n * 10 + static_cast<unsigned char>(c) % 10;
      FUZZ_CHECK(resp.status == http_status(static_cast<ErrorCode>(n % 12)));
    } else {
      FUZZ_CHECK(resp.status == 500);
    }
  }
  if (resp.status != 200) {
    // An error in the style of its site.
    switch (style) {
      case ErrorStyle::Json:
        FUZZ_CHECK(resp.content_type == "application/json");
        FUZZ_CHECK(resp.body.starts_with("{\"error\":\"") && resp.body.ends_with("\"}"));
        break;
      case ErrorStyle::Text: FUZZ_CHECK(resp.content_type.starts_with("text/plain")); break;
      case ErrorStyle::AdminHtml:
        FUZZ_CHECK(resp.content_type.starts_with("text/html"));
        for (const auto& [k, v] : resp.headers)
          if (k == "Content-Security-Policy") FUZZ_CHECK(v == admin::kContentSecurityPolicy);
        break;
      case ErrorStyle::Html:
        FUZZ_CHECK(resp.content_type.starts_with("text/html"));
        FUZZ_CHECK(!resp.body.empty());
        break;
    }
  }
  return 0;
}
