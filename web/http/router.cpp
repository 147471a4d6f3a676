#include "web/http/router.hpp"

#include <iostream>

#include "ca/domain/error.hpp"
#include "web/http/error_status.hpp"
#include "web/http/log_field.hpp"
#include "web/admin/pages.hpp"
#include "web/portal/pages.hpp"

namespace inkan::web {
namespace {

bool has_header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return true;
  return false;
}

void add_security_headers(Response& r) {
  for (const auto& [name, value] : baseline_security_headers())
    // The management site sets its own CSP (it allows its one script file, admin/pages.hpp),
    // and downloads their own Cache-Control.
    if (!has_header(r, name)) r.header(name, value);
}

std::string json_escape_ascii(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '"' || c == '\\') ? '_' : c;
  return out;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& baseline_security_headers() {
  static const std::vector<std::pair<std::string, std::string>> headers = {
      {"Cache-Control", "no-store"},
      {"Content-Security-Policy",
       "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Strict-Transport-Security", "max-age=31536000"},
  };
  return headers;
}

Response error_response(const Request& req, ErrorStyle style, int status, std::string_view slug) {
  switch (style) {
    case ErrorStyle::Html: return portal::error_page(req, status);
    case ErrorStyle::AdminHtml: return admin::error_page(req, status);
    case ErrorStyle::Json: {
      Response r;
      r.status = status;
      r.content_type = "application/json";
      r.body = "{\"error\":\"" + json_escape_ascii(slug) + "\"}";
      return r;
    }
    case ErrorStyle::Text: break;
  }
  Response r;
  r.status = status;
  r.body = std::string(slug) + "\n";
  return r;
}

void Router::add(std::string method, std::string path, bool prefix, Handler h, ErrorStyle style) {
  routes_.push_back({std::move(method), std::move(path), prefix, std::move(h), style});
}

const Router::Route* Router::find(const std::string& method, const std::string& path) const {
  const Route* best = nullptr;
  for (const auto& r : routes_) {
    if (r.method != method) continue;
    if (!r.prefix && r.path == path) return &r;
    if (r.prefix && path.starts_with(r.path) && (!best || r.path.size() > best->path.size())) best = &r;
  }
  return best;
}

Response Router::dispatch(const Request& req) const {
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  Response out;
  if (const Route* route = find(method, req.path)) {
    try {
      out = route->handler(req);
    } catch (const Error& e) {
      // The operator's log gets the reason (never a secret: messages name serials and dates);
      // the client gets the status only.
      std::cerr << "inkan serve: " << log_field(req.method) << " " << log_field(req.path) << ": " << to_string(e.code())
                << ": " << log_field(e.what()) << "\n";
      out = error_response(req, route->style, http_status(e.code()), error_slug(e.code()));
    } catch (const std::exception& e) {
      std::cerr << "inkan serve: " << log_field(req.method) << " " << log_field(req.path)
                << ": unexpected error: " << log_field(e.what()) << "\n";
      out = error_response(req, route->style, 500, "internal");
    }
  } else {
    const bool other_method = find(method == "GET" ? "POST" : "GET", req.path) != nullptr;
    if (fallback_ && method == "GET" && !other_method) {
      std::optional<Response> found;
      try {
        found = fallback_(req);
      } catch (const std::exception& e) {  // as a route's handler: logged, 500, no text to the client
        std::cerr << "inkan serve: GET " << log_field(req.path) << ": " << log_field(e.what()) << "\n";
        found = error_response(req, ErrorStyle::Text, 500, "internal");
      }
      if (found) {
        add_security_headers(*found);
        return *found;
      }
    }
    const auto style = req.path.starts_with("/api/")            ? ErrorStyle::Json
                       : req.path.starts_with("/.well-known/")  ? ErrorStyle::Text
                       : admin::is_admin_path(req.path)          ? ErrorStyle::AdminHtml
                                                                 : ErrorStyle::Html;
    out = error_response(req, style, other_method ? 405 : 404, other_method ? "method_not_allowed" : "not_found");
  }
  add_security_headers(out);
  return out;
}

}  // namespace inkan::web
