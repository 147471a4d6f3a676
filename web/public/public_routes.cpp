// What anyone may fetch without a certificate: the CA chain and the current CRLs, the latter
// also at the path of every CRL URL written into a certificate.
#include "web/app.hpp"
#include "web/http/router.hpp"
#include "web/routes.hpp"

namespace inkan::web {

namespace {

Response crl_response(const Bytes& der) {
  Response r;
  r.content_type = "application/pkix-crl";
  r.body.assign(der.begin(), der.end());
  r.header("Cache-Control", "no-cache");
  return r;
}

}  // namespace

void add_public_routes(Router& router, App& app) {
  router.get("/ca.pem", [&app](const Request&) {
    Response r;
    r.content_type = "application/pem-certificate-chain";
    r.body = app.ca_chain_pem();
    r.header("Cache-Control", "public, max-age=300");
    return r;
  }, ErrorStyle::Text);
  add_crl_routes(router, app);
}

void add_crl_routes(Router& router, App& app) {
  // "/crl" is the active CA's, unless a CA's URL names that very path.
  router.get("/crl", [&app](const Request& req) {
    auto owned = app.crl_at_path(req.path);
    return crl_response(owned ? *owned : app.current_crl());
  }, ErrorStyle::Text);
  router.get_fallback([&app](const Request& req) -> std::optional<Response> {
    auto der = app.crl_at_path(req.path);
    if (!der) return std::nullopt;
    return crl_response(*der);
  });
  router.get("/crl.pem", [&app](const Request&) {
    Response r;
    r.content_type = "application/x-pem-file";
    r.body = app.crl_bundle_pem();
    r.header("Cache-Control", "no-cache");
    return r;
  }, ErrorStyle::Text);
}

}  // namespace inkan::web
