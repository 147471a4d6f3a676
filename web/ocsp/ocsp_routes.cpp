// The OCSP responder over HTTP (RFC 6960 Appendix A): POST /ocsp with the DER request, or GET
// /ocsp/<base64 of it>. Thin: decode, ask App (→ ca/service/ocsp), send. Every answer, even
// malformedRequest, is an application/ocsp-response with status 200, as clients expect.
#include "web/app.hpp"
#include "web/http/router.hpp"
#include "web/ocsp/ocsp_http.hpp"
#include "web/routes.hpp"

namespace inkan::web {
namespace {

// Behind an HTTP cache, a response is kept at most this long (and never past nextUpdate): the
// delay a revocation may take to reach a relying party that goes through such a cache.
constexpr long kMaxAgeCapSeconds = 60;

Response send(App& app, const service::OcspReply& reply, bool get, const Request& req) {
  Response r;
  r.content_type = "application/ocsp-response";
  if (get && reply.cacheable) {
    const auto now = app.clock().now();
    const std::string etag = "\"" + reply.etag + "\"";
    r.header("Cache-Control", "public, no-transform, must-revalidate, max-age=" +
                                  std::to_string(ocsp_max_age_seconds(now, reply.next_update, kMaxAgeCapSeconds)));
    r.header("ETag", etag);
    r.header("Last-Modified", http_date(reply.this_update));
    r.header("Expires", http_date(reply.next_update));
    if (req.header("if-none-match") == etag) {
      r.status = 304;
      return r;
    }
  } else {
    r.header("Cache-Control", "no-store");
  }
  r.body.assign(reply.der.begin(), reply.der.end());
  return r;
}

}  // namespace

void add_ocsp_routes(Router& router, App& app) {
  auto post = [&app](const Request& req) {
    const Bytes der(req.body.begin(), req.body.end());
    return send(app, app.ocsp(der), false, req);
  };
  router.post("/ocsp", post, ErrorStyle::Text);
  router.post_prefix("/ocsp/", post, ErrorStyle::Text);  // "-url http://host/ocsp/" works too
  router.get_prefix("/ocsp/", [&app](const Request& req) {
    auto der = ocsp_request_from_path(std::string_view(req.path).substr(6), service::kMaxOcspRequestBytes);
    // Undecodable: handed on as is (empty), which the responder answers with malformedRequest.
    return send(app, app.ocsp(der.value_or(Bytes{})), true, req);
  }, ErrorStyle::Text);
}

}  // namespace inkan::web
