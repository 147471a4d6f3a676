#pragma once
// Building blocks of the portal's pages: the language, the base view, message pages.
#include <initializer_list>
#include <string_view>

#include "web/http/http.hpp"
#include "web/http/i18n.hpp"
#include "web/http/view.hpp"

namespace inkan::web::portal {

inline constexpr const char* kLangCookie = "__Host-inkan-lang";
inline constexpr const char* kBannerCookie = "__Host-inkan-banner";

Lang language_of(const Request& req);
std::string cookie(const Request& req, const std::string& name);
// The messages of the request's language, ready for a template.
View base_view(const Request& req);
Response html(int status, const std::string& view_name, const View& view);
// A page with a heading and paragraphs, all catalog keys.
Response message_page(const Request& req, int status, std::string_view kind, std::string_view heading_key,
                      std::initializer_list<std::string_view> paragraph_keys, bool back_link = false);
// The generic page for an error status.
Response error_page(const Request& req, int status);

}  // namespace inkan::web::portal
