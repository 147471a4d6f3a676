// Registers the management site under /admin. Every page but the login form goes through
// signed_in() (session, CSRF on POST, forced password change); errors are admin HTML pages.
#include "web/admin/handlers.hpp"
#include "web/admin/pages.hpp"
#include "web/http/router.hpp"
#include "web/routes.hpp"

namespace inkan::web {

void add_admin_routes(Router& router, App& app) {
  using namespace admin;
  constexpr auto style = ErrorStyle::AdminHtml;
  auto in = [&app](Response (*h)(App&, const Request&, Session&)) {
    return signed_in(app, [&app, h](const Request& req, Session& s) { return h(app, req, s); });
  };
  router.get("/admin", [](const Request&) { return redirect("/admin/"); }, style);
  router.get("/admin/login", [&app](const Request& req) { return login_page(app, req); }, style);
  router.post("/admin/login", [&app](const Request& req) { return login(app, req); }, style);
  router.post("/admin/logout", in(logout), style);
  router.get("/admin/lang/ja", [](const Request& req) { return set_language(req, Lang::Ja); }, style);
  router.get("/admin/lang/en", [](const Request& req) { return set_language(req, Lang::En); }, style);

  router.get("/admin/", in(top_page), style);
  router.get("/admin/tenant", in(tenant_page), style);
  router.post_prefix("/admin/tenant/", in(tenant_post), style);
  router.get("/admin/login-history", in(login_history_page), style);
  router.get("/admin/activity", in(activity_page), style);
  router.get("/admin/ca.pem", in(ca_download), style);

  router.get("/admin/certificates", in(certificate_list), style);
  router.get("/admin/certificates/new", in(new_certificate_page), style);
  router.post("/admin/certificates/new", in(issue_certificate), style);
  router.get_prefix("/admin/certificates/", in(certificate_get), style);
  router.post_prefix("/admin/certificates/", in(certificate_post), style);

  router.post("/admin/slips", in(password_slips_page), style);
  router.get("/admin/slips.css", in(password_slips_stylesheet), style);

  router.get("/admin/users", in(users_page), style);
  router.post("/admin/users", in(add_user), style);
  router.post_prefix("/admin/users/", in(user_post), style);
  router.get("/admin/account/password", in(password_page), style);
  router.post("/admin/account/password", in(change_password), style);
}

}  // namespace inkan::web
