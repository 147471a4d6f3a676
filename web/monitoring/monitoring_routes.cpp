// GET /healthz on the HTTPS listener (no client certificate needed), GET /metrics on the
// separate metrics listener (serve --metrics-listen). Both thin: gather, evaluate, render.
#include "web/app.hpp"
#include "web/http/router.hpp"
#include "web/monitoring/health.hpp"
#include "web/monitoring/metrics_exposition.hpp"
#include "web/monitoring/metrics_registry.hpp"
#include "web/routes.hpp"

namespace inkan::web {

void add_health_routes(Router& router, App& app) {
  router.get("/healthz", [&app](const Request&) {
    const auto checks = evaluate_health(gather_health_facts(app), app.clock().now());
    Response r;
    r.status = healthy(checks) ? 200 : 503;
    r.content_type = "application/json";
    r.body = health_json(checks);
    return r;
  }, ErrorStyle::Json);
}

void add_metrics_routes(Router& router, App& app, bool per_tenant) {
  router.get("/metrics", [&app, per_tenant](const Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = render_metrics(app, metrics(), MetricsOptions{.per_tenant = per_tenant});
    return r;
  }, ErrorStyle::Text);
}

}  // namespace inkan::web
