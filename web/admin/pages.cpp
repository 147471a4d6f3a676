#include "web/admin/pages.hpp"

#include "web/portal/pages.hpp"

namespace inkan::web::admin {
namespace {

bool has_header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return true;
  return false;
}

}  // namespace

Lang language_of(const Request& req) { return portal::language_of(req); }

View base_view(const Request& req, std::string_view title_key) {
  View v;
  const Lang lang = language_of(req);
  add_admin_messages(v, lang);
  v.set("page_title", tr(title_key, lang));
  return v;
}

Response secured(Response r) {
  if (!has_header(r, "Content-Security-Policy")) r.header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  if (!has_header(r, "Cache-Control")) r.header("Cache-Control", "no-store");
  return r;
}

Response page(int status, const std::string& view_name, const View& view) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = render(view_name, view);
  return secured(std::move(r));
}

Response message_page(const Request& req, int status, std::string_view heading_key,
                      std::initializer_list<std::string_view> paragraph_keys, NextLink link) {
  const Lang lang = language_of(req);
  View v = base_view(req, heading_key);
  v.set("heading", tr(heading_key, lang));
  v.set("status", std::to_string(status));
  for (auto key : paragraph_keys) v.lists["paragraphs"].push_back(View().set("p", tr(key, lang)));
  v.flag("login_link", link == NextLink::Login).flag("top_link", link == NextLink::Top);
  return page(status, "admin_message", v);
}

Response error_page(const Request& req, int status) {
  switch (status) {
    case 400: return message_page(req, status, "error_heading", {"bad_request_1"}, NextLink::Top);
    case 401: return unauthorized(req);
    case 403: return message_page(req, status, "error_heading", {"forbidden_1"}, NextLink::Top);
    case 404:
    case 405: return message_page(req, status, "error_heading", {"not_found_1"}, NextLink::Top);
    case 409: return message_page(req, status, "error_heading", {"conflict_1"}, NextLink::Top);
    default: return message_page(req, status, "error_heading", {"error_1"}, NextLink::Top);
  }
}

Response unauthorized(const Request& req) {
  return message_page(req, 401, "unauth_heading", {"unauth_1"}, NextLink::Login);
}

Response csrf_refused(const Request& req) {
  return message_page(req, 403, "error_heading", {"csrf_1"}, NextLink::Top);
}

Response redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.header("Location", location);
  return secured(std::move(r));
}

}  // namespace inkan::web::admin
