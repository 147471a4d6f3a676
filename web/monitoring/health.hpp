#pragma once
// GET /healthz: whether this appliance can do its job now, for a load balancer or a monitor.
// Four checks, none of which signs, decrypts or scans: the database answers, the active issuing
// CA's key is unlocked in this process, the server certificate has more than 7 days left, and
// every CRL served here is current (the issuing CA's last CRL, re-signed every few minutes, and
// an imported offline-root CRL). The body names each check and its verdict, never a path, a
// serial or a message.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/time.hpp"

namespace inkan::web {

class App;

inline constexpr std::chrono::days kServerCertificateMinimum{7};

// What the checks look at, gathered from App (health.cpp); pure rules below, unit-tested.
struct HealthFacts {
  bool database_answers = false;
  bool issuing_key_held = false;
  std::optional<Timestamp> server_not_after;
  std::vector<std::optional<Timestamp>> crl_next_updates;  // nullopt: a CRL that was never signed
};

struct HealthCheck {
  std::string_view name;     // database, keys, server_certificate, crl
  std::string_view verdict;  // ok, unavailable, locked, expiring, expired, stale, missing
  bool ok() const { return verdict == "ok"; }
};

std::vector<HealthCheck> evaluate_health(const HealthFacts& facts, Timestamp now);
bool healthy(const std::vector<HealthCheck>& checks);
// {"status":"ok"|"unavailable","checks":{...},"failing":[...]}
std::string health_json(const std::vector<HealthCheck>& checks);

HealthFacts gather_health_facts(App& app);

}  // namespace inkan::web
