#pragma once
// The counters of `inkan serve` for Prometheus: fixed arrays of relaxed atomics indexed by small
// enums, so counting a request, a handshake or a login costs a few atomic additions and no lock,
// and every label has a handful of values (no serials, no names). One registry per process
// (`metrics()`); rendered by metrics_exposition.cpp.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "ca/service/monitoring/operation_events.hpp"

namespace inkan::web {

// Which part of the appliance a request went to (route_family.hpp maps paths).
enum class RouteFamily { Portal, Api, Admin, Est, Ocsp, Public, Health, Metrics, Other };
inline constexpr int kRouteFamilyCount = 9;
std::string_view to_string(RouteFamily f);

// Why a TLS handshake failed. The client certificate reasons come from OpenSSL's verification;
// `protocol` is everything else (no shared cipher, not TLS, a client that went away), `timeout`
// a handshake that did not finish within the read timeout.
enum class HandshakeFailure { UnknownCa, BadCertificate, Protocol, Timeout };
inline constexpr int kHandshakeFailureCount = 4;
std::string_view to_string(HandshakeFailure r);

// Why a request that needs a client certificate was refused after the handshake (the portal,
// the API, EST): none presented, not one of ours, revoked, expired, not valid yet.
enum class CertificateRefusal { NoCertificate, Unknown, Revoked, Expired, NotYetValid };
inline constexpr int kCertificateRefusalCount = 5;
std::string_view to_string(CertificateRefusal r);

// Latency buckets (seconds) of Prometheus' defaults, trimmed to what an appliance sees.
inline constexpr std::array<double, 10> kLatencyBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

class Histogram {
 public:
  void observe(std::chrono::microseconds d) noexcept;
  std::uint64_t bucket(std::size_t i) const noexcept { return buckets_[i].load(std::memory_order_relaxed); }  // cumulative
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum_seconds() const noexcept { return static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6; }

 private:
  std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size()> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_us_{0};
};

class MetricsRegistry final : public service::OperationEvents {
 public:
  MetricsRegistry();

  // One request answered: by family and status class (1xx..5xx), and its time in the handler.
  void request(RouteFamily family, int status, std::chrono::microseconds took) noexcept;
  void handshake_failed(HandshakeFailure reason) noexcept { inc(handshake_failures_[idx(reason)]); }
  void certificate_refused(CertificateRefusal reason) noexcept { inc(refusals_[idx(reason)]); }
  void admin_login_failed() noexcept { inc(admin_login_failures_); }
  void admin_account_locked() noexcept { inc(admin_lockouts_); }
  void connection_opened() noexcept { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() noexcept { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void handler_busy(bool busy) noexcept { busy_handlers_.fetch_add(busy ? 1 : -1, std::memory_order_relaxed); }
  void record(service::Operation op, service::OperationResult result) noexcept override {
    inc(operations_[idx(op)][idx(result)]);
  }

  std::uint64_t requests(RouteFamily f, int status_class) const noexcept {
    return requests_[idx(f)][status_class - 1].load(std::memory_order_relaxed);
  }
  const Histogram& latency(RouteFamily f) const noexcept { return latency_[idx(f)]; }
  std::uint64_t handshake_failures(HandshakeFailure r) const noexcept { return get(handshake_failures_[idx(r)]); }
  std::uint64_t refusals(CertificateRefusal r) const noexcept { return get(refusals_[idx(r)]); }
  std::uint64_t admin_login_failures() const noexcept { return get(admin_login_failures_); }
  std::uint64_t admin_lockouts() const noexcept { return get(admin_lockouts_); }
  std::int64_t open_connections() const noexcept { return open_connections_.load(std::memory_order_relaxed); }
  std::int64_t busy_handlers() const noexcept { return busy_handlers_.load(std::memory_order_relaxed); }
  std::uint64_t operations(service::Operation op, service::OperationResult r) const noexcept {
    return get(operations_[idx(op)][idx(r)]);
  }
  double uptime_seconds() const noexcept;

 private:
  template <class E>
  static constexpr std::size_t idx(E e) noexcept { return static_cast<std::size_t>(e); }
  static void inc(std::atomic<std::uint64_t>& a) noexcept { a.fetch_add(1, std::memory_order_relaxed); }
  static std::uint64_t get(const std::atomic<std::uint64_t>& a) noexcept { return a.load(std::memory_order_relaxed); }

  std::array<std::array<std::atomic<std::uint64_t>, 5>, kRouteFamilyCount> requests_{};
  std::array<Histogram, kRouteFamilyCount> latency_{};
  std::array<std::atomic<std::uint64_t>, kHandshakeFailureCount> handshake_failures_{};
  std::array<std::atomic<std::uint64_t>, kCertificateRefusalCount> refusals_{};
  std::array<std::array<std::atomic<std::uint64_t>, service::kOperationResultCount>, service::kOperationCount> operations_{};
  std::atomic<std::uint64_t> admin_login_failures_{0}, admin_lockouts_{0};
  std::atomic<std::int64_t> open_connections_{0}, busy_handlers_{0};
  std::chrono::steady_clock::time_point started_;
};

// The process's registry (counting costs nothing when nobody scrapes).
MetricsRegistry& metrics() noexcept;

}  // namespace inkan::web
