#pragma once
// Text encodings the routes need: base64 (API p12, EST bodies), form and cookie parsing.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "web/http/http.hpp"

namespace inkan::web {

std::string base64_encode(const Bytes& data);
// Standard alphabet; whitespace (EST bodies are folded at 64 columns) is skipped. nullopt for
// any other character or bad padding.
std::optional<Bytes> base64_decode(std::string_view text);

// application/x-www-form-urlencoded. Duplicate names: the first wins.
std::map<std::string, std::string> parse_form(std::string_view body);
// The Cookie header's name=value pairs.
std::map<std::string, std::string> parse_cookies(std::string_view header);
// A host-only, Secure, HttpOnly, SameSite=Strict cookie (`__Host-` prefix rules).
std::string set_cookie(std::string_view name, std::string_view value, long max_age_seconds);

// The media type of a Content-Type header, lower case, without parameters.
std::string media_type(std::string_view content_type);

}  // namespace inkan::web
