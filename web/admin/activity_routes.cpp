// 操作履歴 (activity): the audit log as the management site shows it. A tenant administrator
// sees the entries of their own tenant only (AuditReader applies the TenantScope); an operator
// sees every entry and may filter by tenant. Pages go back in time with ?before=SEQ.
#include "ca/domain/error.hpp"
#include "ca/domain/local_time.hpp"
#include "ca/service/audit/audit_reader.hpp"
#include "web/http/shown_time.hpp"
#include "web/admin/handlers.hpp"
#include "web/admin/http_rules.hpp"
#include "web/admin/messages.hpp"
#include "web/admin/pages.hpp"
#include "web/app.hpp"

namespace inkan::web::admin {
namespace {

constexpr std::size_t kActivityPageSize = 50;

// The actions the filter offers, in the order an administrator thinks of them.
constexpr const char* kFilterActions[] = {"cert.issue",   "cert.renew",   "cert.reissue", "cert.download",
                                          "password.reveal", "cert.revoke", "cert.notes", "admin.add",
                                          "admin.disable", "admin.enable", "admin.reset", "admin.password",
                                          "admin.lock",  "admin.delete", "tenant.policy", "tenant.rename",
                                          "tenant.retire", "tenant.reinstate"};

std::optional<std::string> given(const Request& req, const char* name) {
  auto v = req.param(name);
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

// A date is a day of the installation's zone, as every date on the screens is; "until" a day
// includes that day.
std::optional<Timestamp> date_param(const Request& req, const char* name, const TimeZone& zone, DayEdge edge) {
  const auto text = req.param(name);
  if (text.empty()) return std::nullopt;
  try {
    return parse_local_date_or_time(text, zone, edge);
  } catch (const Error&) {
    throw Error(ErrorCode::InvalidArgument, std::string(name) + ": not a date");
  }
}

std::string action_text(const std::string& action, Lang lang) {
  try {
    return tr("action_" + action, lang);
  } catch (const Error&) {
    return action;  // installation-wide actions (crl.publish, ...) read as they are spelled
  }
}

}  // namespace

Response activity_page(App& app, const Request& req, Session& s) {
  const Lang lang = language_of(req);
  service::AuditFilter f;
  f.since = date_param(req, "since", app.time_zone(), DayEdge::Start);
  f.until = date_param(req, "until", app.time_zone(), DayEdge::End);
  f.tenant_id = given(req, "tenant");
  f.actor = given(req, "actor");
  f.action = given(req, "action");
  if (auto serial = given(req, "serial")) f.serial = Serial::parse(*serial);
  if (auto before = given(req, "before")) {
    try {
      f.before_seq = std::stoll(*before);
    } catch (const std::exception&) {
      throw Error(ErrorCode::InvalidArgument, "before: not a sequence number");
    }
  }
  f.limit = kActivityPageSize;
  service::AuditReader reader(app.store(), service::TenantScope::of(s.user()));
  const auto page_of = reader.page(f);

  View v = session_view(req, s, "activity", "nav_activity");
  for (const auto& e : page_of.entries) {
    View row;
    row.set("seq", std::to_string(e.seq)).set("actor", e.actor);
    set_time(row, "at", e.at, app.time_zone(), lang, TimeStyle::Second);
    row.set("action", e.action).set("action_text", action_text(e.action, lang));
    row.set("object", e.object).set("tenant", e.tenant_id.value_or("-")).set("detail", e.detail);
    if (e.object.rfind("cert:", 0) == 0) row.set("serial", e.object.substr(5)).flag("has_serial");
    const std::string result(service::audit_result(e.action));
    row.set("result_text", result == "success" ? tr("result_success", lang) : tr("result_locked_action", lang));
    row.flag("failed", result != "success");
    v.lists["entries"].push_back(std::move(row));
  }
  for (const char* a : kFilterActions) {
    View option;
    option.set("value", a).set("label", action_text(a, lang));
    option.flag("selected", f.action && *f.action == a);
    v.lists["actions"].push_back(std::move(option));
  }
  const std::vector<std::pair<std::string, std::string>> kept{
      {"tenant", req.param("tenant")}, {"action", req.param("action")}, {"actor", req.param("actor")},
      {"serial", req.param("serial")}, {"since", req.param("since")},   {"until", req.param("until")}};
  v.set("f_tenant", req.param("tenant")).set("f_actor", req.param("actor")).set("f_serial", req.param("serial"));
  v.set("f_since", req.param("since")).set("f_until", req.param("until"));
  if (page_of.next_before) {
    auto next = kept;
    next.emplace_back("before", std::to_string(*page_of.next_before));
    v.set("next_url", "/admin/activity" + query_string(next)).flag("has_next");
  }
  if (f.before_seq) v.set("newest_url", "/admin/activity" + query_string(kept)).flag("has_newest");
  return page(200, "admin_activity", v);
}

}  // namespace inkan::web::admin
