// ユーザ管理 and the change of one's own password, through service::AdminAccounts (scoped to the
// administrator's tenant, audited as admin:<username>).
#include <algorithm>

#include "ca/domain/error.hpp"
#include "ca/service/admin/admin_accounts.hpp"
#include "ca/service/admin/admin_queries.hpp"
#include "web/http/shown_time.hpp"
#include "web/admin/handlers.hpp"
#include "web/admin/pages.hpp"
#include "web/app.hpp"

namespace inkan::web::admin {
namespace {

service::AdminAccounts accounts(App& app, const Session& s) {
  return service::AdminAccounts(app.store(), app.clock(), app.rng(), service::TenantScope::of(s.user()));
}

// The one-time password of a new or reset account, shown once.
Response one_time_page(const Request& req, Session& s, const std::string& username, const std::string& password) {
  View v = session_view(req, s, "users", "one_time_heading");
  v.set("user", username).set("password", password);
  return page(200, "admin_secret", v);
}

constexpr std::size_t kUsersPageSize = 50;

std::size_t users_page_number(const Request& req) {
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

Response users_page(App& app, const Request& req, Session& s) {
  const Lang lang = language_of(req);
  View v = session_view(req, s, "users", "nav_users");
  // Administrators number in the tens or hundreds: the list is read whole and shown a page at a time.
  const auto all = accounts(app, s).list();
  const std::size_t pages = all.empty() ? 1 : (all.size() + kUsersPageSize - 1) / kUsersPageSize;
  const std::size_t page_no = std::min(users_page_number(req), pages);
  v.set("total", std::to_string(all.size())).set("page", std::to_string(page_no)).set("pages", std::to_string(pages));
  if (page_no > 1) v.set("prev_url", "/admin/users?page=" + std::to_string(page_no - 1)).flag("has_prev");
  if (page_no < pages) v.set("next_url", "/admin/users?page=" + std::to_string(page_no + 1)).flag("has_next");
  const auto first = all.begin() + static_cast<std::ptrdiff_t>((page_no - 1) * kUsersPageSize);
  const auto last = all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), page_no * kUsersPageSize));
  for (const auto& u : std::vector<AdminUser>(first, last)) {
    View row;
    row.set("username", u.username).set("tenant", u.tenant_id.value_or("-"));
    row.set("role", tr(u.is_operator() ? "role_operator" : "role_tenant_admin", lang));
    row.set("state", tr(u.disabled ? "disabled" : "enabled", lang)).flag("disabled", u.disabled);
    row.flag("must_change", u.must_change_password);
    set_time(row, "created", u.created_at, app.time_zone(), lang, TimeStyle::Date);
    row.flag("is_self", u.id == s.user().id);
    row.set("email", u.email.value_or("")).flag("lang_en", u.language == MailLanguage::En);
    v.lists["users"].push_back(std::move(row));
  }
  if (s.user().is_operator())
    for (const auto& t : service::AdminQueries(app.store(), app.clock(), service::TenantScope::of(s.user())).tenants())
      v.lists["tenant_options"].push_back(View().set("value", t.id).set("text", t.id + " — " + t.name));
  const auto done = req.param("done");
  if (done == "disabled" || done == "enabled" || done == "contact" || done == "deleted") v.set("flash", tr("flash_" + done, lang)).flag("has_flash");
  return page(200, "admin_users", v);
}

Response add_user(App& app, const Request& req, Session& s) {
  service::NewAdmin n;
  n.username = s.form["username"];
  const bool as_operator = s.form["role"] == "operator";
  n.role = as_operator ? AdminRole::Operator : AdminRole::TenantAdmin;
  if (!as_operator) n.tenant_id = s.form["tenant"].empty() ? s.user().tenant_id : std::optional(s.form["tenant"]);
  if (!s.form["email"].empty()) n.email = s.form["email"];
  n.language = s.form["language"] == "en" ? MailLanguage::En : MailLanguage::Ja;
  try {
    auto created = accounts(app, s).add(n);
    return one_time_page(req, s, created.user.username, created.generated_password.value_or(""));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::AlreadyExists) return message_page(req, 409, "error_heading", {"user_exists"}, NextLink::Top);
    throw;
  }
}

Response user_post(App& app, const Request& req, Session& s) {
  const auto parts = path_segments(req.path, "/admin/users/");
  if (parts.size() != 2) return error_page(req, 404);
  const auto& [name, action] = std::pair(parts[0], parts[1]);
  if (action == "disable") {
    accounts(app, s).disable(name);
    return redirect("/admin/users?done=disabled");
  }
  if (action == "enable") {
    accounts(app, s).enable(name);
    return redirect("/admin/users?done=enabled");
  }
  if (action == "delete") {  // offered for disabled accounts: a deliberate second step
    accounts(app, s).remove(name);
    return redirect("/admin/users?done=deleted");
  }
  if (action == "contact") {
    const auto email = s.form["email"];
    accounts(app, s).set_contact(name, email.empty() ? std::nullopt : std::optional(email),
                                 s.form["language"] == "en" ? MailLanguage::En : MailLanguage::Ja);
    return redirect("/admin/users?done=contact");
  }
  if (action == "reset") return one_time_page(req, s, name, accounts(app, s).reset_password(name));
  return error_page(req, 404);
}

Response password_page(App&, const Request& req, Session& s) {
  View v = session_view(req, s, "account", "password_heading");
  v.flag("must_change", s.user().must_change_password);
  return page(200, "admin_password", v);
}

Response change_password(App& app, const Request& req, Session& s) {
  auto form_again = [&](int status, std::string_view error_key) {
    View v = session_view(req, s, "account", "password_heading");
    v.flag("must_change", s.user().must_change_password);
    v.set("error", tr(error_key, language_of(req))).flag("has_error");
    return page(status, "admin_password", v);
  };
  if (s.form["new_password"] != s.form["confirm_password"]) return form_again(400, "mismatch");
  try {
    accounts(app, s).change_own_password(s.form["current_password"], s.form["new_password"]);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::WrongPassphrase) return form_again(400, "wrong_current");
    if (e.code() == ErrorCode::InvalidArgument) return form_again(400, "weak_password");
    throw;
  }
  // Every session of the account ended with the change: log in again.
  Response r = redirect("/admin/login?done=password_changed");
  r.header("Set-Cookie", cleared_cookie(kSessionCookie));
  return r;
}

}  // namespace inkan::web::admin
