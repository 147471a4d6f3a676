// What anyone may fetch without a certificate: the CA chain and the current CRLs.
#include "web/app.hpp"
#include "web/http/router.hpp"
#include "web/routes.hpp"

namespace inkan::web {

void add_public_routes(Router& router, App& app) {
  router.get("/ca.pem", [&app](const Request&) {
    Response r;
    r.content_type = "application/pem-certificate-chain";
    r.body = app.ca_chain_pem();
    r.header("Cache-Control", "public, max-age=300");
    return r;
  }, ErrorStyle::Text);
  router.get("/crl", [&app](const Request&) {
    Response r;
    r.content_type = "application/pkix-crl";
    auto der = app.current_crl();
    r.body.assign(der.begin(), der.end());
    r.header("Cache-Control", "no-cache");
    return r;
  }, ErrorStyle::Text);
  router.get("/crl.pem", [&app](const Request&) {
    Response r;
    r.content_type = "application/x-pem-file";
    r.body = app.crl_bundle_pem();
    r.header("Cache-Control", "no-cache");
    return r;
  }, ErrorStyle::Text);
}

}  // namespace inkan::web
