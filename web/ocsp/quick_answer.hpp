#pragma once
// The OCSP answers the plain-HTTP listener gives on its event loop (plain_http_server.hpp):
// the same response the /ocsp routes would send (ocsp_routes.cpp), when it needs neither the
// store nor a signature (App::ocsp_at_once). nullopt: not an OCSP request, or one to sign.
#include <optional>

#include "web/http/http.hpp"

namespace inkan::web {

class App;

std::optional<Response> answer_ocsp_at_once(App& app, const Request& req);

}  // namespace inkan::web
