// The self-service portal: the status page with the renewal banner, the renewal form and its
// result page, the successor's download, and the language and banner cookies.
#include <optional>

#include "ca/domain/error.hpp"
#include "web/http/shown_time.hpp"
#include "web/app.hpp"
#include "web/http/assets.hpp"
#include "web/http/content_disposition.hpp"
#include "web/http/encoding.hpp"
#include "web/portal/pages.hpp"
#include "web/http/router.hpp"
#include "web/routes.hpp"
#include "web/http/user_agent.hpp"

namespace inkan::web {
namespace {

using service::HolderAccess;
using service::SelfRenewal;

// The page for a certificate that may not use the portal, or nullopt when it may.
std::optional<Response> refusal(const Request& req, const Presented& p, int no_cert_status) {
  if (!p.present) return portal::message_page(req, no_cert_status, "no-certificate", "no_cert_heading",
                                                {"no_cert_1", "no_cert_expired", "no_cert_2"});
  switch (p.holder.access) {
    case HolderAccess::Granted: return std::nullopt;
    case HolderAccess::Expired: return portal::message_page(req, 403, "expired", "expired_heading", {"expired_1", "expired_2"});
    case HolderAccess::Revoked: return portal::message_page(req, 403, "revoked", "revoked_heading", {"revoked_1"});
    case HolderAccess::NotYetValid:
      return portal::message_page(req, 403, "not-yet-valid", "not_yet_valid_heading", {"not_yet_valid_1"});
    case HolderAccess::Unknown: break;
  }
  return portal::message_page(req, 403, "unknown", "unknown_heading", {"unknown_1"});
}

std::string status_key(CertStatus s) {
  switch (s) {
    case CertStatus::Active: return "t_status_active";
    case CertStatus::Superseded: return "t_status_superseded";
    case CertStatus::Expired: return "t_status_expired";
    case CertStatus::Revoked: return "t_status_revoked";
  }
  return "t_status_active";
}

// The profile offered first: the user's explicit choice; else the one the certificate was
// delivered in, so renewal does not silently switch formats (issue 16, item 4), except that
// `modern` is not offered to a platform that cannot read it; else what the User-Agent can read.
P12Profile chosen_profile(App& app, const service::Holder& holder, const Request& req, const std::string& field) {
  if (auto p = parse_p12_profile(field)) return *p;
  const P12Profile readable = default_p12_profile(req.header("user-agent"));
  if (auto delivered = app.delivered_profile(holder))
    return *delivered == P12Profile::Modern && readable == P12Profile::Modern ? P12Profile::Modern : P12Profile::Compat;
  return readable;
}

Response status_page(App& app, const Request& req, int status = 200) {
  auto p = app.presented(req);
  if (auto r = refusal(req, p, 200)) return *r;
  const auto& h = p.holder;
  const auto& c = *h.cert;
  View v = portal::base_view(req);
  v.set("cn", c.cn).set("tenant", h.tenant_name).set("serial", c.serial.hex());
  v.set("status_text", v.text[status_key(h.status)]);
  const Lang lang = portal::language_of(req);
  set_time(v, "not_after", c.not_after, app.time_zone(), lang).set("days_left", std::to_string(h.days_left));
  set_time(v, "window_opens", h.window_opens, app.time_zone(), lang);
  v.set("csrf", app.csrf_token(p.sha256));
  const auto profile = chosen_profile(app, h, req, req.param("profile"));
  v.set("profile", std::string(to_string(profile)));
  v.flag("compat", profile == P12Profile::Compat).flag("modern", profile == P12Profile::Modern);
  const bool can_renew = h.renewal == SelfRenewal::Allowed || h.renewal == SelfRenewal::AlreadyRenewed;
  v.flag("can_renew", can_renew);
  v.flag("banner", can_renew && portal::cookie(req, portal::kBannerCookie) != c.serial.hex());
  v.flag("renewed", h.renewal == SelfRenewal::AlreadyRenewed);
  if (h.successor) v.set("successor", h.successor->serial.hex());
  v.flag("admin_only", h.renewal == SelfRenewal::AdministratorOnly);
  v.flag("too_early", h.renewal == SelfRenewal::TooEarly);
  // The API's 409 successor_revoked, said on the page (issue 14 item 8).
  v.flag("successor_revoked", h.renewal == SelfRenewal::SuccessorRevoked);
  return portal::html(status, "status", v);
}

Response renew(App& app, const Request& req) {
  auto p = app.presented(req);
  if (auto r = refusal(req, p, 403)) return *r;
  auto form = parse_form(req.body);
  if (!app.csrf_valid(p.sha256, form["csrf"]))
    return portal::message_page(req, 403, "csrf", "error_heading", {"csrf_1"}, true);
  const auto& h = p.holder;
  if (h.renewal == SelfRenewal::AdministratorOnly)
    return portal::message_page(req, 403, "admin-only", "error_heading", {"admin_only"}, true);
  if (h.renewal == SelfRenewal::SuccessorRevoked)
    return portal::message_page(req, 409, "successor-revoked", "error_heading", {"successor_revoked"}, true);
  if (h.renewal != SelfRenewal::Allowed && h.renewal != SelfRenewal::AlreadyRenewed)
    return status_page(app, req, 403);  // too early: the status page says when the window opens
  const auto profile = chosen_profile(app, h, req, form["profile"]);
  auto result = app.renew(h, profile);
  const auto& rec = result.credential.record;
  if (result.credential.p12.empty()) throw Error(ErrorCode::InvalidState, "the successor has no p12");

  View v = portal::base_view(req);
  v.flag("again", result.already_renewed);
  v.set("cn", rec.cn).set("serial", rec.serial.hex());
  set_time(v, "not_after", rec.not_after, app.time_zone(), portal::language_of(req));
  v.set("download_url", "/download/" + rec.serial.hex() + ".p12?profile=" + std::string(to_string(profile)));
  v.set("file_name", result.credential.file_stem + ".p12");
  v.set("password", result.credential.password);
  return portal::html(200, "renewed", v);
}

Response download(App& app, const Request& req) {
  auto p = app.presented(req);
  if (auto r = refusal(req, p, 403)) return *r;
  std::string_view name = std::string_view(req.path).substr(std::string_view("/download/").size());
  if (!name.ends_with(".p12")) return portal::error_page(req, 404);
  name.remove_suffix(4);
  std::optional<Serial> serial;
  try {
    serial = Serial::parse(name);
  } catch (const Error&) {
    return portal::error_page(req, 404);
  }
  std::optional<P12Profile> profile;
  if (!req.param("profile").empty()) profile = parse_p12_profile(req.param("profile"));
  if (p.holder.renewal == SelfRenewal::SuccessorRevoked)
    return portal::message_page(req, 409, "successor-revoked", "error_heading", {"successor_revoked"}, true);
  auto p12 = app.successor_p12(p.holder, *serial, profile);
  Response r;
  r.content_type = "application/x-pkcs12";
  r.body.assign(p12.begin(), p12.end());
  r.header("Content-Disposition", content_disposition(app.successor_file_stem(p.holder, *serial), "p12"));
  return r;
}

Response redirect_home(std::string cookie) {
  Response r;
  r.status = 303;
  r.header("Location", "/");
  r.header("Set-Cookie", std::move(cookie));
  return r;
}

Response close_banner(App& app, const Request& req) {
  auto p = app.presented(req);
  if (!p.present || p.holder.access != HolderAccess::Granted) return redirect_home(set_cookie(portal::kBannerCookie, "", 0));
  return redirect_home(set_cookie(portal::kBannerCookie, p.holder.cert->serial.hex(), 24 * 3600));
}

Response static_asset(const Request& req) {
  auto name = req.path.substr(std::string_view("/static/").size());
  auto body = static_file(name);
  if (!body) return portal::error_page(req, 404);
  Response r;
  r.content_type = name.ends_with(".css") ? "text/css; charset=utf-8"
                   : name.ends_with(".js") ? "text/javascript; charset=utf-8"
                                           : "application/octet-stream";
  r.body = std::string(*body);
  r.header("Cache-Control", "public, max-age=3600");
  return r;
}

}  // namespace

void add_portal_routes(Router& router, App& app) {
  router.get("/", [&app](const Request& req) { return status_page(app, req); });
  router.post("/renew", [&app](const Request& req) { return renew(app, req); });
  router.get_prefix("/download/", [&app](const Request& req) { return download(app, req); });
  router.get("/banner/close", [&app](const Request& req) { return close_banner(app, req); });
  router.get("/lang/ja", [](const Request&) { return redirect_home(set_cookie(portal::kLangCookie, "ja", 365L * 24 * 3600)); });
  router.get("/lang/en", [](const Request&) { return redirect_home(set_cookie(portal::kLangCookie, "en", 365L * 24 * 3600)); });
  router.get_prefix("/static/", [](const Request& req) { return static_asset(req); });
}

}  // namespace inkan::web
