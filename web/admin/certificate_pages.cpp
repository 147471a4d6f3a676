// 証明書管理: the list with its filters and pages, the detail page, and the issue form.
#include "ca/domain/error.hpp"
#include "ca/service/admin/admin_queries.hpp"
#include "web/http/shown_time.hpp"
#include "web/admin/format.hpp"
#include "web/admin/handlers.hpp"
#include "ca/service/admin/admin_accounts.hpp"
#include "web/admin/pages.hpp"
#include "web/app.hpp"
#include "web/http/encoding.hpp"

namespace inkan::web::admin {
namespace {

constexpr std::size_t kPageSize = 50;

service::AdminQueries queries(App& app, const Session& s) {
  return service::AdminQueries(app.store(), app.clock(), service::TenantScope::of(s.user()));
}

std::optional<std::string> non_empty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

// The list's filters from the query string; an unknown value is a 400, never ignored silently.
service::CertificateListRequest list_request(const Request& req) {
  service::CertificateListRequest r;
  r.tenant_id = non_empty(req.param("tenant"));
  if (auto t = req.param("status"); !t.empty()) {
    r.status = parse_cert_status(t);
    if (!r.status) throw Error(ErrorCode::InvalidArgument, "status: unknown");
  }
  if (auto t = req.param("type"); !t.empty()) {
    r.kind = parse_cert_kind(t);
    if (!r.kind) throw Error(ErrorCode::InvalidArgument, "type: unknown");
  }
  if (auto t = req.param("expiring"); !t.empty()) {
    if (t != "30" && t != "90") throw Error(ErrorCode::InvalidArgument, "expiring: 30 or 90");
    r.expiring_within_days = std::stoi(t);
  }
  r.search = non_empty(req.param("q"));
  if (auto t = req.param("page"); !t.empty()) {
    if (t.size() > 7 || t.find_first_not_of("0123456789") != std::string::npos || t == "0")
      throw Error(ErrorCode::InvalidArgument, "page: not a page number");
    r.page = std::stoul(t);
  }
  r.page_size = kPageSize;
  return r;
}

void add_options(View& v, const std::string& list, std::initializer_list<std::pair<std::string, std::string>> options,
                 const std::string& selected) {
  for (const auto& [value, text] : options)
    v.lists[list].push_back(View().set("value", value).set("text", text).flag("selected", value == selected));
}

void add_tenant_options(View& v, App& app, const Session& s, const std::string& selected) {
  for (const auto& t : queries(app, s).tenants())
    v.lists["tenant_options"].push_back(
        View().set("value", t.id).set("text", t.id + " — " + t.name).flag("selected", t.id == selected));
}

}  // namespace

std::optional<Serial> serial_from(const std::string& segment) {
  if (segment.empty() || segment.size() > 40 || segment.find_first_not_of("0123456789ABCDEFabcdef") != std::string::npos)
    return std::nullopt;
  try {
    return Serial::parse(segment);
  } catch (const Error&) {
    return std::nullopt;
  }
}

Response certificate_list(App& app, const Request& req, Session& s) {
  const Lang lang = language_of(req);
  const auto r = list_request(req);
  const auto result = queries(app, s).certificates(r);
  const Timestamp now = app.clock().now();
  View v = session_view(req, s, "certificates", "nav_certificates");
  const auto names = app.tenant_names();
  for (const auto& c : result.rows) {
    View row = certificate_row(c, now, lang, app.time_zone());
    v.lists["rows"].push_back(with_tenant_name(row, names, c.tenant_id));
  }
  v.flag("has_rows", !result.rows.empty());
  // A capped count reads "10000+" (and its pages "200+"): narrow the filter for an exact one.
  const std::string more = result.total_capped ? "+" : "";
  v.set("total", std::to_string(result.total) + more);
  v.set("page", std::to_string(result.page)).set("pages", std::to_string(result.pages()) + more);
  v.set("q", req.param("q"));
  const std::string all = tr("filter_all", lang);
  add_options(v, "status_options",
              {{"", all}, {"active", tr("status_active", lang)}, {"superseded", tr("status_superseded", lang)},
               {"expired", tr("status_expired", lang)}, {"revoked", tr("status_revoked", lang)}},
              req.param("status"));
  add_options(v, "type_options",
              {{"", all}, {"terminal", tr("kind_terminal", lang)}, {"tenant-admin", tr("kind_tenant_admin", lang)}},
              req.param("type"));
  add_options(v, "expiring_options",
              {{"", all}, {"30", tr("expiring_30", lang)}, {"90", tr("expiring_90", lang)}},
              req.param("expiring"));
  if (s.user().is_operator()) {
    v.lists["tenant_options"].push_back(View().set("value", "").set("text", all).flag("selected", req.param("tenant").empty()));
    add_tenant_options(v, app, s, req.param("tenant"));
    for (const auto& t : queries(app, s).tenants())
      v.lists["slip_tenant_options"].push_back(View().set("value", t.id).set("text", t.id + " — " + t.name));
  }
  auto link = [&](std::size_t page_no) {
    return "/admin/certificates" + query_string({{"tenant", req.param("tenant")}, {"status", req.param("status")},
                                                  {"type", req.param("type")}, {"expiring", req.param("expiring")},
                                                  {"q", req.param("q")}, {"page", std::to_string(page_no)}});
  };
  if (result.page > 1) v.set("prev_url", link(result.page - 1)).flag("has_prev");
  if (result.page < result.pages()) v.set("next_url", link(result.page + 1)).flag("has_next");
  return page(200, "admin_certificates", v);
}

Response certificate_get(App& app, const Request& req, Session& s) {
  const auto parts = path_segments(req.path, "/admin/certificates/");
  const auto serial = parts.empty() ? std::nullopt : serial_from(parts[0]);
  if (!serial || parts.size() > 2) return error_page(req, 404);
  if (parts.size() == 1) return certificate_detail(app, req, s, *serial);
  if (parts[1] == "p12") return certificate_download(app, req, s, *serial, false);
  if (parts[1] == "zip") return certificate_download(app, req, s, *serial, true);
  return error_page(req, 404);
}

Response certificate_detail(App& app, const Request& req, Session& s, const Serial& serial, const std::string& password) {
  const Lang lang = language_of(req);
  const auto d = queries(app, s).certificate(serial);
  const auto& c = d.record;
  const Timestamp now = app.clock().now();
  const CertStatus status = c.status_at(now);
  View v = session_view(req, s, "certificates", "detail_heading");
  v.lists["cert"].push_back(certificate_row(c, now, lang, app.time_zone()));
  v.set("serial", c.serial.hex()).set("cn", c.cn);
  set_time(v, "requested", c.requested_at, app.time_zone(), lang);
  v.set("notes", c.notes).flag("has_notes", !c.notes.empty());
  if (d.predecessor) v.set("predecessor", d.predecessor->hex()).flag("has_predecessor");
  if (d.successor) v.set("successor", d.successor->hex()).flag("has_successor");
  if (c.revoked_at) set_time(v, "revoked_at", *c.revoked_at, app.time_zone(), lang).flag("is_revoked");
  v.flag("has_credential", c.has_credential);
  // An expired or revoked credential no longer works: no download buttons (issue 16, item 16).
  const bool alive = status == CertStatus::Active || status == CertStatus::Superseded;
  v.flag("can_download", c.has_credential && alive).flag("dead_credential", c.has_credential && !alive);
  if (!password.empty()) v.set("password", password).flag("password_shown");
  const int window = app.renewal_window_days(c.tenant_id);
  const bool in_window = days_left(c, now) <= window;
  v.flag("can_renew", status == CertStatus::Active && !c.successor && in_window);
  if (status == CertStatus::Active && !c.successor && !in_window)
    set_time(v, "window_opens", c.not_after - std::chrono::days(window), app.time_zone(), lang).flag("too_early");
  v.flag("can_reissue", status == CertStatus::Expired && !c.successor);
  v.flag("can_revoke", status == CertStatus::Active || status == CertStatus::Superseded);
  for (auto reason : {"unspecified", "keyCompromise", "affiliationChanged", "superseded", "cessationOfOperation",
                      "privilegeWithdrawn"})
    v.lists["reasons"].push_back(View().set("value", reason).set("text", tr("reason_" + std::string(reason), lang)));
  const auto done = req.param("done");
  if (done == "notes" || done == "revoked") v.set("flash", tr("flash_" + done, lang)).flag("has_flash");
  return page(200, "admin_certificate", v);
}

Response new_certificate_page(App& app, const Request& req, Session& s) {
  View v = session_view(req, s, "certificates", "new_certificate");
  add_tenant_options(v, app, s, s.user().tenant_id.value_or(""));
  // A tenant-admin certificate logs in one account (issue 14 item 4): the tenant administrators
  // this administrator can see. Operators are never offered (their certificates come from the CLI).
  service::AdminAccounts accounts(app.store(), app.clock(), app.rng(), service::TenantScope::of(s.user()));
  for (const auto& u : accounts.list())
    if (!u.is_operator() && !u.disabled)
      v.lists["admin_options"].push_back(
          View().set("value", u.username).set("text", u.username + " (" + u.tenant_id.value_or("") + ")"));
  return page(200, "admin_certificate_new", v);
}

}  // namespace inkan::web::admin
