#include "web/monitoring/metrics_registry.hpp"

namespace inkan::web {

std::string_view to_string(RouteFamily f) {
  switch (f) {
    case RouteFamily::Portal: return "portal";
    case RouteFamily::Api: return "api";
    case RouteFamily::Admin: return "admin";
    case RouteFamily::Est: return "est";
    case RouteFamily::Ocsp: return "ocsp";
    case RouteFamily::Public: return "public";
    case RouteFamily::Health: return "health";
    case RouteFamily::Metrics: return "metrics";
    case RouteFamily::Other: return "other";
  }
  return "other";
}

std::string_view to_string(HandshakeFailure r) {
  switch (r) {
    case HandshakeFailure::UnknownCa: return "unknown_ca";
    case HandshakeFailure::BadCertificate: return "bad_certificate";
    case HandshakeFailure::Protocol: return "protocol";
    case HandshakeFailure::Timeout: return "timeout";
  }
  return "protocol";
}

std::string_view to_string(CertificateRefusal r) {
  switch (r) {
    case CertificateRefusal::NoCertificate: return "no_certificate";
    case CertificateRefusal::Unknown: return "unknown";
    case CertificateRefusal::Revoked: return "revoked";
    case CertificateRefusal::Expired: return "expired";
    case CertificateRefusal::NotYetValid: return "not_yet_valid";
  }
  return "unknown";
}

void Histogram::observe(std::chrono::microseconds d) noexcept {
  const double s = static_cast<double>(d.count()) / 1e6;
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
    if (s <= kLatencyBuckets[i]) buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<std::uint64_t>(d.count() < 0 ? 0 : d.count()), std::memory_order_relaxed);
}

MetricsRegistry::MetricsRegistry() : started_(std::chrono::steady_clock::now()) {}

void MetricsRegistry::request(RouteFamily family, int status, std::chrono::microseconds took) noexcept {
  const int cls = status / 100;
  if (cls >= 1 && cls <= 5) inc(requests_[idx(family)][static_cast<std::size_t>(cls - 1)]);
  latency_[idx(family)].observe(took);
}

double MetricsRegistry::uptime_seconds() const noexcept {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

MetricsRegistry& metrics() noexcept {
  static MetricsRegistry registry;
  return registry;
}

}  // namespace inkan::web
