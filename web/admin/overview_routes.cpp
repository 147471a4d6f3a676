// TOP, テナント情報, ログイン履歴 and the CA certificate download.
#include "ca/domain/error.hpp"
#include "ca/service/admin/admin_queries.hpp"
#include "ca/service/admin/tenant_settings.hpp"
#include "web/http/shown_time.hpp"
#include "web/admin/http_rules.hpp"
#include "web/admin/messages.hpp"
#include "web/admin/format.hpp"
#include "web/admin/handlers.hpp"
#include "web/admin/pages.hpp"
#include "web/app.hpp"

namespace inkan::web::admin {
namespace {

constexpr std::size_t kHistoryPageSize = 50;

service::AdminQueries queries(App& app, const Session& s) {
  return service::AdminQueries(app.store(), app.clock(), service::TenantScope::of(s.user()));
}

// An operator may narrow TOP to one tenant (?tenant=); a tenant administrator sees their own.
std::optional<std::string> wanted_tenant(const Request& req) {
  auto t = req.param("tenant");
  return t.empty() ? std::nullopt : std::optional<std::string>(t);
}

std::size_t page_number(const Request& req) {
  const auto text = req.param("page");
  if (text.empty()) return 1;
  try {
    std::size_t used = 0;
    const auto n = std::stoul(text, &used);
    if (used == text.size() && n >= 1 && n <= 1'000'000) return n;
  } catch (const std::exception&) {
  }
  throw Error(ErrorCode::InvalidArgument, "page: not a page number");
}

}  // namespace

Response top_page(App& app, const Request& req, Session& s) {
  const Lang lang = language_of(req);
  auto d = queries(app, s).dashboard(wanted_tenant(req));
  const Timestamp now = app.clock().now();
  View v = session_view(req, s, "top", "nav_top");
  v.set("count_active", std::to_string(d.counts.active)).set("count_superseded", std::to_string(d.counts.superseded));
  v.set("count_expired", std::to_string(d.counts.expired)).set("count_revoked", std::to_string(d.counts.revoked));
  const auto names = app.tenant_names();
  for (const auto& c : d.expiring_soon) {
    View row = certificate_row(c, now, lang, app.time_zone());
    v.lists["expiring"].push_back(with_tenant_name(row, names, c.tenant_id));
  }
  v.flag("has_expiring", !d.expiring_soon.empty());
  v.set("expiring_total", std::to_string(d.expiring_total));
  if (auto t = wanted_tenant(req)) v.set("tenant_query", "&tenant=" + url_encode(*t));
  return page(200, "admin_top", v);
}

Response tenant_page(App& app, const Request& req, Session& s) {
  View v = session_view(req, s, "tenant", "nav_tenant");
  for (const auto& t : queries(app, s).tenants()) {
    View row;
    row.set("id", t.id).set("name", t.name);
    set_time(row, "created", t.created_at, app.time_zone(), language_of(req), TimeStyle::Date);
    row.set("window_days", std::to_string(app.renewal_window_days(t.id)));
    row.flag("window_override", t.renewal_window_days.has_value());
    v.lists["tenants"].push_back(std::move(row));
  }
  if (req.param("done") == "window") v.set("flash", tr("flash_window", language_of(req))).flag("has_flash");
  return page(200, "admin_tenant", v);
}

// POST /admin/tenant/<id>/renewal-window, days=1..365|default: the operator only
// (service::set_tenant_renewal_window says NotFound to anyone else).
Response tenant_post(App& app, const Request& req, Session& s) {
  const auto parts = path_segments(req.path, "/admin/tenant/");
  if (parts.size() != 2 || parts[1] != "renewal-window") return error_page(req, 404);
  const auto text = s.form["days"];
  std::optional<int> days;
  if (text != "default") {
    try {
      std::size_t used = 0;
      days = std::stoi(text, &used);
      if (used != text.size()) throw std::invalid_argument("trailing");
    } catch (const std::exception&) {
      throw Error(ErrorCode::InvalidArgument, "days: not a number of days");
    }
  }
  service::set_tenant_renewal_window(app.store(), app.clock(), service::TenantScope::of(s.user()), parts[0], days);
  return redirect("/admin/tenant?done=window");
}

Response login_history_page(App& app, const Request& req, Session& s) {
  const Lang lang = language_of(req);
  const std::size_t page_no = page_number(req);
  auto h = queries(app, s).login_history(std::nullopt, kHistoryPageSize, (page_no - 1) * kHistoryPageSize);
  View v = session_view(req, s, "history", "nav_history");
  const auto names = app.tenant_names();
  for (const auto& a : h.rows) {
    View row = login_row(a, lang, app.time_zone());
    v.lists["attempts"].push_back(with_tenant_name(row, names, a.tenant_id));
  }
  v.set("total", std::to_string(h.total));
  const std::size_t pages = h.total == 0 ? 1 : (static_cast<std::size_t>(h.total) + kHistoryPageSize - 1) / kHistoryPageSize;
  v.set("page", std::to_string(page_no)).set("pages", std::to_string(pages));
  if (page_no > 1) v.set("prev_url", "/admin/login-history?page=" + std::to_string(page_no - 1)).flag("has_prev");
  if (page_no < pages) v.set("next_url", "/admin/login-history?page=" + std::to_string(page_no + 1)).flag("has_next");
  return page(200, "admin_history", v);
}

Response ca_download(App& app, const Request&, Session&) {
  Response r;
  r.content_type = "application/pem-certificate-chain";
  r.body = app.ca_chain_pem();
  r.header("Content-Disposition", content_disposition("ca-chain", "pem"));
  return r;
}

}  // namespace inkan::web::admin
