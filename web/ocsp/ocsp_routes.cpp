// The OCSP responder over HTTP (RFC 6960 Appendix A): POST /ocsp with the DER request, or GET
// /ocsp/<base64 of it>. Thin: decode, ask App (→ ca/service/ocsp), send. Every answer, even
// malformedRequest, is an application/ocsp-response with status 200, as clients expect.
#include "web/app.hpp"
#include "web/http/router.hpp"
#include "web/ocsp/ocsp_http.hpp"
#include "web/ocsp/quick_answer.hpp"
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

// The OCSP request a route below would answer, and whether it came by GET; nullopt for any
// other request. An undecodable GET path gives an empty request: malformedRequest.
std::optional<std::pair<Bytes, bool>> ocsp_request_of(const Request& req) {
  if (req.method == "POST" && (req.path == "/ocsp" || req.path.starts_with("/ocsp/")))
    return std::pair{Bytes(req.body.begin(), req.body.end()), false};
  if ((req.method == "GET" || req.method == "HEAD") && req.path.starts_with("/ocsp/"))
    return std::pair{ocsp_request_from_path(std::string_view(req.path).substr(6), service::kMaxOcspRequestBytes)
                         .value_or(Bytes{}),
                     true};
  return std::nullopt;
}

}  // namespace

std::optional<Response> answer_ocsp_at_once(App& app, const Request& req) {
  auto ocsp = ocsp_request_of(req);
  if (!ocsp) return std::nullopt;
  auto reply = app.ocsp_at_once(ocsp->first);
  if (!reply) return std::nullopt;
  return send(app, *reply, ocsp->second, req);
}

void add_ocsp_routes(Router& router, App& app) {
  auto answer = [&app](const Request& req) {
    auto ocsp = ocsp_request_of(req);
    return send(app, app.ocsp(ocsp ? ocsp->first : Bytes{}), ocsp && ocsp->second, req);
  };
  router.post("/ocsp", answer, ErrorStyle::Text);
  router.post_prefix("/ocsp/", answer, ErrorStyle::Text);  // "-url http://host/ocsp/" works too
  router.get_prefix("/ocsp/", answer, ErrorStyle::Text);
}

}  // namespace inkan::web
