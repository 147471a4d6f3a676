// Login, logout and the language switch of the management site.
#include "ca/crypto/secrets/session_token.hpp"
#include "web/monitoring/metrics_registry.hpp"
#include "web/admin/handlers.hpp"
#include "web/admin/pages.hpp"
#include "web/app.hpp"
#include "web/http/encoding.hpp"
#include "web/portal/pages.hpp"

namespace inkan::web::admin {
namespace {

// The form, with a fresh nonce cookie and its token. `error_key`: the message above the form.
Response login_form(App& app, const Request& req, int status, std::string_view error_key) {
  const Lang lang = language_of(req);
  const std::string nonce = crypto::random_token(app.rng());
  View v = base_view(req, "login_heading");
  v.set("csrf", app.login_form_token(nonce));
  if (!error_key.empty()) v.set("error", tr(error_key, lang)).flag("has_error");
  v.flag("cert_note", app.admin_policy().require_client_cert && !app.client_fingerprint(req));
  const auto done = req.param("done");
  if (done == "logged_out" || done == "password_changed") v.set("flash", tr(done, lang)).flag("has_flash");
  Response r = page(status, "admin_login", v);
  r.header("Set-Cookie", login_nonce_cookie(nonce));
  return r;
}

}  // namespace

Response login_page(App& app, const Request& req) { return login_form(app, req, 200, ""); }

Response login(App& app, const Request& req) {
  auto form = parse_form(req.body);
  if (!app.login_form_token_valid(portal::cookie(req, kLoginNonceCookie), form["csrf"])) return csrf_refused(req);
  service::LoginRequest attempt;
  attempt.username = form["username"];
  attempt.password = form["password"];
  attempt.peer_address = normalize_peer_address(req.remote_addr);  // never X-Forwarded-For
  attempt.client_cert_sha256 = app.client_fingerprint(req);
  if (auto previous = portal::cookie(req, kSessionCookie); !previous.empty()) attempt.previous_token = previous;
  auto outcome = app.admin_login().authenticate(attempt);
  if (outcome.result != LoginResult::Success) metrics().admin_login_failed();
  if (outcome.result == LoginResult::Locked) metrics().admin_account_locked();
  switch (outcome.result) {
    case LoginResult::Success: break;
    case LoginResult::Locked: return login_form(app, req, 429, "login_locked");
    default: return login_form(app, req, 401, "login_failed");  // one message for every failure
  }
  Response r = redirect(outcome.session->must_change_password ? "/admin/account/password" : "/admin/");
  r.header("Set-Cookie", session_cookie(outcome.session->token));
  r.header("Set-Cookie", cleared_cookie(kLoginNonceCookie));
  return r;
}

Response logout(App& app, const Request&, Session& s) {
  app.admin_login().logout(s.token);
  Response r = redirect("/admin/login?done=logged_out");
  r.header("Set-Cookie", cleared_cookie(kSessionCookie));
  return r;
}

Response set_language(const Request& req, Lang lang) {
  Response r = redirect(portal::cookie(req, kSessionCookie).empty() ? "/admin/login" : "/admin/");
  r.header("Set-Cookie", set_cookie(portal::kLangCookie, to_string(lang), 365L * 24 * 3600));
  return r;
}

}  // namespace inkan::web::admin
