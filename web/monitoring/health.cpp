#include "web/monitoring/health.hpp"

#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "web/app.hpp"

namespace inkan::web {

std::vector<HealthCheck> evaluate_health(const HealthFacts& f, Timestamp now) {
  std::vector<HealthCheck> out;
  out.push_back({"database", f.database_answers ? "ok" : "unavailable"});
  out.push_back({"keys", !f.database_answers ? "unavailable" : f.issuing_key_held ? "ok" : "locked"});
  std::string_view server = "missing";
  if (f.server_not_after)
    server = *f.server_not_after <= now                                ? "expired"
             : *f.server_not_after - now <= kServerCertificateMinimum ? "expiring"
                                                                       : "ok";
  out.push_back({"server_certificate", server});
  std::string_view crl = f.database_answers ? "ok" : "unavailable";
  if (f.crl_next_updates.empty() && f.database_answers) crl = "missing";
  for (const auto& next : f.crl_next_updates) {
    if (!next) crl = "missing";
    else if (*next <= now) crl = "stale";
    if (crl != "ok") break;
  }
  out.push_back({"crl", crl});
  return out;
}

bool healthy(const std::vector<HealthCheck>& checks) {
  for (const auto& c : checks)
    if (!c.ok()) return false;
  return true;
}

std::string health_json(const std::vector<HealthCheck>& checks) {
  nlohmann::ordered_json j;
  j["status"] = healthy(checks) ? "ok" : "unavailable";
  auto& by_name = j["checks"] = nlohmann::ordered_json::object();
  auto failing = nlohmann::json::array();
  for (const auto& c : checks) {
    by_name[std::string(c.name)] = std::string(c.verdict);
    if (!c.ok()) failing.push_back(std::string(c.name));
  }
  j["failing"] = failing;
  return j.dump() + "\n";
}

HealthFacts gather_health_facts(App& app) {
  HealthFacts f;
  if (app.server_not_after().time_since_epoch().count() != 0) f.server_not_after = app.server_not_after();
  try {
    auto& store = app.store();
    auto issuing = store.cas().active_issuing();
    f.database_answers = true;
    if (issuing) {
      f.issuing_key_held = app.holds_key(issuing->id);
      f.crl_next_updates.push_back(app.crl_next_update(issuing->id));
    }
    // An offline root's CRL, once imported, must stay current too (nginx checks the whole chain).
    if (auto root = app.imported_root_crl_next_update()) f.crl_next_updates.push_back(root);
  } catch (const std::exception&) {
    // The database did not answer (or its content is unreadable): the checks that need it fail.
  }
  return f;
}

}  // namespace inkan::web
