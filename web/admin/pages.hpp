#pragma once
// Building blocks of the management site's pages: the base view, the headers every admin
// response carries, message and error pages, redirects.
#include <initializer_list>
#include <string>
#include <string_view>

#include "web/admin/http_rules.hpp"
#include "web/admin/messages.hpp"
#include "web/http/http.hpp"
#include "web/http/view.hpp"

namespace inkan::web::admin {

Lang language_of(const Request& req);  // the portal's rule and cookie
// The messages of the request's language, and the page title (a catalog key).
View base_view(const Request& req, std::string_view title_key);
// An HTML page with the admin CSP and no-store (secured()).
Response page(int status, const std::string& view_name, const View& view);
// Adds the admin CSP and Cache-Control: no-store unless the handler set them.
Response secured(Response r);
// A page with a heading and paragraphs (catalog keys), and links to the login page or to TOP.
enum class NextLink { None, Login, Top };
Response message_page(const Request& req, int status, std::string_view heading_key,
                      std::initializer_list<std::string_view> paragraph_keys, NextLink link);
// The page for an error status; never an exception's text.
Response error_page(const Request& req, int status);
// 401: not logged in, or the session ended (logout, timeout, another certificate).
Response unauthorized(const Request& req);
// 403: the form's CSRF token is missing or wrong; nothing was done.
Response csrf_refused(const Request& req);
Response redirect(const std::string& location);

}  // namespace inkan::web::admin
