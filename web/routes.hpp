#pragma once
// Each group of routes registers itself on the router. Handlers are thin: parse, call App (which
// calls ca/service), render.
namespace inkan::web {

class Router;
class App;

void add_portal_routes(Router& router, App& app);   // "/", /renew, /download, /banner, /lang, /static
void add_api_routes(Router& router, App& app);      // /api/v1/me, /api/v1/renew
void add_public_routes(Router& router, App& app);   // /ca.pem and add_crl_routes
// /crl, /crl.pem, and each CA's CRL at the path of every CRL URL its certificates name
void add_crl_routes(Router& router, App& app);
void add_est_routes(Router& router, App& app);      // /.well-known/est/...
void add_admin_routes(Router& router, App& app);    // /admin/... (web/admin/)
void add_ocsp_routes(Router& router, App& app);     // POST /ocsp, GET /ocsp/<base64> (web/ocsp/)
void add_health_routes(Router& router, App& app);   // GET /healthz (web/monitoring/)
// GET /metrics, for the metrics listener only (web/monitoring/).
void add_metrics_routes(Router& router, App& app, bool per_tenant);

}  // namespace inkan::web
