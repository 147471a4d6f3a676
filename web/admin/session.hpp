#pragma once
// The logged-in administrator of a request, and the wrapper every page behind the login uses.
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "ca/service/admin/admin_login.hpp"
#include "web/http/http.hpp"
#include "web/http/view.hpp"

namespace inkan::web {
class App;
}

namespace inkan::web::admin {

struct Session {
  service::AdminPrincipal principal;
  std::string token;                         // the cookie's value
  std::map<std::string, std::string> form;   // the POST body's fields
  std::string tenant_name;                   // the facility's name, for a tenant administrator
  const AdminUser& user() const { return principal.user; }
};

using SessionHandler = std::function<Response(const Request&, Session&)>;

// A handler for logged-in administrators only:
// - 401 without a valid session (no cookie, unknown or ended token, timeouts, a different or no
//   longer acceptable client certificate: AdminLogin::validate);
// - for POST, 403 unless the form's `csrf` matches the session's (nothing is done);
// - while the password must be changed, every page but the change form redirects to it.
Handler signed_in(App& app, SessionHandler handler);

// The base view plus what the header shows for a session: the tabs (with `tab` current), the
// user, the CSRF token for the forms.
View session_view(const Request& req, const Session& s, std::string_view tab, std::string_view title_key);

}  // namespace inkan::web::admin
