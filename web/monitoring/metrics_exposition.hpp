#pragma once
// The Prometheus text exposition (format 0.0.4) of `inkan serve`'s metrics: the counters of the
// registry, and gauges read at scrape time from the store's day buckets (no scan), the CA table
// and what App holds in memory. docs/api.md lists the families; docs/operations.md has alert rules.
#include <string>

namespace inkan::web {

class App;
class MetricsRegistry;

struct MetricsOptions {
  bool per_tenant = false;  // also the certificate gauges per tenant (tenants can be many)
};

std::string render_metrics(App& app, const MetricsRegistry& registry, const MetricsOptions& options);

}  // namespace inkan::web
