#include "web/monitoring/metrics_exposition.hpp"

#include <cstdio>
#include <initializer_list>
#include <utility>

#include "ca/service/monitoring/certificate_gauges.hpp"
#include "web/app.hpp"
#include "web/monitoring/health.hpp"
#include "web/monitoring/metrics_registry.hpp"

namespace inkan::web {
namespace {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Label values are ours (enums, tenant ids checked by policy), but escaped all the same.
void append_escaped(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
}

class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void sample(std::string_view name, Labels labels, double value) {
    out_ += name;
    if (labels.size()) {
      out_ += '{';
      bool first = true;
      for (const auto& [k, v] : labels) {
        if (!first) out_ += ',';
        first = false;
        out_ += k;
        out_ += "=\"";
        append_escaped(out_, v);
        out_ += '"';
      }
      out_ += '}';
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, " %.17g\n", value);
    out_ += buf;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

double seconds_until(Timestamp t, Timestamp now) { return static_cast<double>((t - now).count()); }

void certificate_families(Writer& w, Store& store, Timestamp now, const MetricsOptions& options) {
  const auto all = service::certificate_gauges(store, now);
  w.family("inkan_certificates", "gauge", "Certificates by the status inkan list shows (reservations not counted).");
  const std::pair<CertStatus, std::int64_t> by_status[] = {{CertStatus::Active, all.by_status.active},
                                                           {CertStatus::Superseded, all.by_status.superseded},
                                                           {CertStatus::Expired, all.by_status.expired},
                                                           {CertStatus::Revoked, all.by_status.revoked}};
  for (const auto& [status, n] : by_status) w.sample("inkan_certificates", {{"status", to_string(status)}}, double(n));
  w.family("inkan_certificates_expiring", "gauge", "Active certificates whose notAfter falls within the next N days.");
  for (std::size_t i = 0; i < service::kExpiringWithinDays.size(); ++i) {
    const auto days = std::to_string(service::kExpiringWithinDays[i]);
    w.sample("inkan_certificates_expiring", {{"within_days", days}}, double(all.expiring[i]));
  }
  if (!options.per_tenant) return;
  std::vector<std::pair<std::string, service::CertificateGauges>> tenants;
  for (const auto& t : service::tenants_with_certificates(store)) tenants.emplace_back(t, service::certificate_gauges(store, now, t));
  w.family("inkan_tenant_certificates", "gauge", "Certificates by tenant and status (serve --metrics-per-tenant).");
  for (const auto& [t, g] : tenants) {
    w.sample("inkan_tenant_certificates", {{"tenant", t}, {"status", "active"}}, double(g.by_status.active));
    w.sample("inkan_tenant_certificates", {{"tenant", t}, {"status", "superseded"}}, double(g.by_status.superseded));
    w.sample("inkan_tenant_certificates", {{"tenant", t}, {"status", "expired"}}, double(g.by_status.expired));
    w.sample("inkan_tenant_certificates", {{"tenant", t}, {"status", "revoked"}}, double(g.by_status.revoked));
  }
  w.family("inkan_tenant_certificates_expiring", "gauge", "Active certificates expiring within N days, by tenant.");
  for (const auto& [t, g] : tenants)
    for (std::size_t i = 0; i < service::kExpiringWithinDays.size(); ++i) {
      const auto days = std::to_string(service::kExpiringWithinDays[i]);
      w.sample("inkan_tenant_certificates_expiring", {{"tenant", t}, {"within_days", days}}, double(g.expiring[i]));
    }
}

void validity_families(Writer& w, App& app, Store& store, Timestamp now) {
  w.family("inkan_server_certificate_expiry_seconds", "gauge", "Seconds until the served TLS server certificate expires.");
  w.sample("inkan_server_certificate_expiry_seconds", {}, seconds_until(app.server_not_after(), now));
  const auto cas = service::ca_validities(store);
  w.family("inkan_ca_certificate_expiry_seconds", "gauge", "Seconds until each CA certificate expires.");
  for (const auto& ca : cas) {
    const auto id = std::to_string(ca.id);
    w.sample("inkan_ca_certificate_expiry_seconds",
             {{"ca_id", id}, {"role", to_string(ca.role)}, {"active", ca.active ? "true" : "false"}},
             seconds_until(ca.not_after, now));
  }
  w.family("inkan_crl_expiry_seconds", "gauge",
           "Seconds until the nextUpdate of the current CRL: the active issuing CA's, and an imported offline root's.");
  for (const auto& ca : cas)
    if (ca.role == CaRole::Issuing && ca.active)
      if (auto next = app.crl_next_update(ca.id))
        w.sample("inkan_crl_expiry_seconds", {{"crl", "issuing"}}, seconds_until(*next, now));
  if (auto root = app.imported_root_crl_next_update())
    w.sample("inkan_crl_expiry_seconds", {{"crl", "offline_root"}}, seconds_until(*root, now));
}

void counter_families(Writer& w, const MetricsRegistry& r) {
  using service::Operation;
  using service::OperationResult;
  w.family("inkan_certificate_operations_total", "counter", "Issuances, renewals, reissues and revocations by result.");
  for (auto op : {Operation::Issuance, Operation::Renewal, Operation::Reissue, Operation::Revocation})
    for (auto res : {OperationResult::Success, OperationResult::Refused, OperationResult::Failed})
      w.sample("inkan_certificate_operations_total", {{"operation", to_string(op)}, {"result", to_string(res)}},
               double(r.operations(op, res)));

  static constexpr const char* kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  w.family("inkan_http_requests_total", "counter", "Requests answered, by route family and status class.");
  for (int f = 0; f < kRouteFamilyCount; ++f)
    for (int c = 1; c <= 5; ++c) {
      const auto n = r.requests(RouteFamily(f), c);
      if (n) w.sample("inkan_http_requests_total", {{"family", to_string(RouteFamily(f))}, {"code", kClasses[c - 1]}}, double(n));
    }
  w.family("inkan_http_request_duration_seconds", "histogram", "Time in the request handler, by route family.");
  for (int f = 0; f < kRouteFamilyCount; ++f) {
    const auto& h = r.latency(RouteFamily(f));
    if (!h.count()) continue;
    const auto family = to_string(RouteFamily(f));
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      char le[16];
      std::snprintf(le, sizeof le, "%g", kLatencyBuckets[i]);
      w.sample("inkan_http_request_duration_seconds_bucket", {{"family", family}, {"le", le}}, double(h.bucket(i)));
    }
    w.sample("inkan_http_request_duration_seconds_bucket", {{"family", family}, {"le", "+Inf"}}, double(h.count()));
    w.sample("inkan_http_request_duration_seconds_sum", {{"family", family}}, h.sum_seconds());
    w.sample("inkan_http_request_duration_seconds_count", {{"family", family}}, double(h.count()));
  }
  w.family("inkan_tls_handshake_failures_total", "counter", "TLS handshakes that failed, by reason.");
  for (auto why : {HandshakeFailure::UnknownCa, HandshakeFailure::BadCertificate, HandshakeFailure::Protocol,
                   HandshakeFailure::Timeout})
    w.sample("inkan_tls_handshake_failures_total", {{"reason", to_string(why)}}, double(r.handshake_failures(why)));
  w.family("inkan_client_certificate_refusals_total", "counter",
           "Requests needing a client certificate refused after the handshake, by reason.");
  for (auto why : {CertificateRefusal::NoCertificate, CertificateRefusal::Unknown, CertificateRefusal::Revoked,
                   CertificateRefusal::Expired, CertificateRefusal::NotYetValid})
    w.sample("inkan_client_certificate_refusals_total", {{"reason", to_string(why)}}, double(r.refusals(why)));
  w.family("inkan_admin_login_failures_total", "counter", "Failed logins to the management site (locked ones included).");
  w.sample("inkan_admin_login_failures_total", {}, double(r.admin_login_failures()));
  w.family("inkan_admin_login_locked_total", "counter", "Logins refused because the account or address was locked.");
  w.sample("inkan_admin_login_locked_total", {}, double(r.admin_lockouts()));
}

void process_families(Writer& w, const MetricsRegistry& r) {
  w.family("inkan_uptime_seconds", "gauge", "Seconds since inkan serve started.");
  w.sample("inkan_uptime_seconds", {}, r.uptime_seconds());
  w.family("inkan_open_connections", "gauge", "TLS connections open now.");
  w.sample("inkan_open_connections", {}, double(r.open_connections()));
  w.family("inkan_busy_handler_threads", "gauge", "Handler threads running a request now.");
  w.sample("inkan_busy_handler_threads", {}, double(r.busy_handlers()));
}

}  // namespace

std::string render_metrics(App& app, const MetricsRegistry& registry, const MetricsOptions& options) {
  Writer w;
  const auto now = app.clock().now();
  auto& store = app.store();
  certificate_families(w, store, now, options);
  validity_families(w, app, store, now);
  const auto batches = service::batch_progress(store);
  w.family("inkan_batch_jobs_running", "gauge", "Batch jobs not completed yet (in any process).");
  w.sample("inkan_batch_jobs_running", {}, double(batches.running_jobs));
  w.family("inkan_batch_items", "gauge", "Items of the running batch jobs, by state.");
  w.sample("inkan_batch_items", {{"state", "pending"}}, double(batches.items.pending));
  w.sample("inkan_batch_items", {{"state", "reserved"}}, double(batches.items.reserved));
  w.sample("inkan_batch_items", {{"state", "committed"}}, double(batches.items.committed));
  w.sample("inkan_batch_items", {{"state", "skipped"}}, double(batches.items.skipped));
  const auto checks = evaluate_health(gather_health_facts(app), now);
  w.family("inkan_health_check", "gauge", "1 when a /healthz check passes, 0 when it fails.");
  for (const auto& c : checks) w.sample("inkan_health_check", {{"check", c.name}}, c.ok() ? 1 : 0);
  counter_families(w, registry);
  process_families(w, registry);
  return w.take();
}

}  // namespace inkan::web
