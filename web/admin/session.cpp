#include "web/admin/session.hpp"

#include "web/admin/pages.hpp"
#include "web/app.hpp"
#include "web/http/encoding.hpp"
#include "web/portal/pages.hpp"

namespace inkan::web::admin {
namespace {

constexpr std::string_view kPasswordPage = "/admin/account/password";

}  // namespace

Handler signed_in(App& app, SessionHandler handler) {
  return [&app, handler = std::move(handler)](const Request& req) -> Response {
    Session s;
    s.token = portal::cookie(req, kSessionCookie);
    if (s.token.empty()) return unauthorized(req);
    auto principal = app.admin_login().validate(s.token, app.client_fingerprint(req));
    if (!principal) return unauthorized(req);
    s.principal = std::move(*principal);
    if (s.user().tenant_id) s.tenant_name = app.tenant_name(*s.user().tenant_id);
    if (req.method == "POST") {
      s.form = parse_form(req.body);
      if (!service::AdminLogin::csrf_matches(s.principal, s.form["csrf"])) return csrf_refused(req);
    }
    if (s.user().must_change_password && req.path != kPasswordPage && req.path != "/admin/logout")
      return redirect(std::string(kPasswordPage));
    return secured(handler(req, s));
  };
}

View session_view(const Request& req, const Session& s, std::string_view tab, std::string_view title_key) {
  View v = base_view(req, title_key);
  v.flag("signed_in");
  v.set("username", s.user().username);
  v.flag("operator", s.user().is_operator());
  // The facility's name, as the screens say it (issue 16, item 16); the id only when unnamed.
  if (s.user().tenant_id)
    v.set("user_tenant", s.tenant_name.empty() ? *s.user().tenant_id : s.tenant_name).flag("has_user_tenant");
  v.set("csrf", s.principal.csrf_token);
  v.flag("tab_" + std::string(tab));
  return v;
}

}  // namespace inkan::web::admin
