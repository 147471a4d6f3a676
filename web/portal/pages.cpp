#include "web/portal/pages.hpp"

#include "web/http/encoding.hpp"

namespace inkan::web::portal {

std::string cookie(const Request& req, const std::string& name) {
  auto all = parse_cookies(req.header("cookie"));
  auto it = all.find(name);
  return it == all.end() ? std::string() : it->second;
}

Lang language_of(const Request& req) { return negotiate_language(cookie(req, kLangCookie), req.header("accept-language")); }

View base_view(const Request& req) {
  View v;
  add_messages(v, language_of(req));
  return v;
}

Response html(int status, const std::string& view_name, const View& view) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = render(view_name, view);
  return r;
}

Response message_page(const Request& req, int status, std::string_view kind, std::string_view heading_key,
                      std::initializer_list<std::string_view> paragraph_keys, bool back_link) {
  const auto lang = language_of(req);
  View v = base_view(req);
  v.set("kind", std::string(kind));
  v.set("heading", message(heading_key, lang));
  for (auto key : paragraph_keys) v.lists["paragraphs"].push_back(View().set("p", message(key, lang)));
  v.flag("show_back", back_link);
  return html(status, "message", v);
}

Response error_page(const Request& req, int status) {
  if (status == 404) return message_page(req, status, "error", "error_heading", {"not_found_1"}, true);
  return message_page(req, status, "error", "error_heading", {"error_1"}, true);
}

}  // namespace inkan::web::portal
