#pragma once
// Routes requests to handlers by method and path, adds the security headers every response
// carries, and turns errors into responses without their text (error_status.hpp).
#include <string>
#include <vector>

#include "web/http/http.hpp"

namespace inkan::web {

// How a route reports errors: an HTML page (portal or management site), a JSON object (API) or
// plain text (EST).
enum class ErrorStyle { Html, AdminHtml, Json, Text };

class Router {
 public:
  void get(std::string path, Handler h, ErrorStyle style = ErrorStyle::Html) { add("GET", std::move(path), false, std::move(h), style); }
  void post(std::string path, Handler h, ErrorStyle style = ErrorStyle::Html) { add("POST", std::move(path), false, std::move(h), style); }
  // Every path under `prefix` (which ends in '/').
  void get_prefix(std::string prefix, Handler h, ErrorStyle style = ErrorStyle::Html) { add("GET", std::move(prefix), true, std::move(h), style); }
  void post_prefix(std::string prefix, Handler h, ErrorStyle style = ErrorStyle::Html) { add("POST", std::move(prefix), true, std::move(h), style); }

  // Asked for a GET that no route takes (and no other method's route either), before the 404:
  // for paths known only at run time, such as each CA's CRL URL. nullopt: not found.
  using Fallback = std::function<std::optional<Response>(const Request&)>;
  void get_fallback(Fallback f) { fallback_ = std::move(f); }

  Response dispatch(const Request& req) const;

 private:
  struct Route {
    std::string method, path;
    bool prefix;
    Handler handler;
    ErrorStyle style;
  };
  void add(std::string method, std::string path, bool prefix, Handler h, ErrorStyle style);
  const Route* find(const std::string& method, const std::string& path) const;
  std::vector<Route> routes_;
  Fallback fallback_;
};

// The headers every response carries (CSP, nosniff, frame and referrer policy, HSTS, no-store).
// Used by the router for our responses, and by the HTTPS server for the errors cpp-httplib
// answers by itself (411, 413, 400) so that those carry them too.
const std::vector<std::pair<std::string, std::string>>& baseline_security_headers();

// An error response in the given style; the body names the status, never an exception's text.
Response error_response(const Request& req, ErrorStyle style, int status, std::string_view slug);

}  // namespace inkan::web
