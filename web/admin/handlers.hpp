#pragma once
// The management site's handlers, registered by routes.cpp. One file per group:
// login_routes.cpp, overview_routes.cpp, certificate_pages.cpp, certificate_actions.cpp,
// user_routes.cpp.
#include <optional>

#include "ca/domain/serial.hpp"
#include "web/admin/session.hpp"
#include "web/http/i18n.hpp"
#include "web/http/http.hpp"

namespace inkan::web {
class App;
}

namespace inkan::web::admin {

// login_routes.cpp (no session needed, except logout)
Response login_page(App& app, const Request& req);
Response login(App& app, const Request& req);
Response logout(App& app, const Request& req, Session& s);
Response set_language(const Request& req, Lang lang);

// overview_routes.cpp
Response top_page(App& app, const Request& req, Session& s);
Response tenant_page(App& app, const Request& req, Session& s);
Response login_history_page(App& app, const Request& req, Session& s);
Response activity_page(App& app, const Request& req, Session& s);  // 操作履歴
Response tenant_post(App& app, const Request& req, Session& s);    // the operator's tenant settings
Response ca_download(App& app, const Request& req, Session& s);

// certificate_pages.cpp
Response certificate_list(App& app, const Request& req, Session& s);
// GET /admin/certificates/{serial}[/p12|/zip]
Response certificate_get(App& app, const Request& req, Session& s);
Response new_certificate_page(App& app, const Request& req, Session& s);
Response issue_certificate(App& app, const Request& req, Session& s);
// The detail page; `password` when it was just revealed without script.
Response certificate_detail(App& app, const Request& req, Session& s, const Serial& serial,
                            const std::string& password = {});

// certificate_actions.cpp: POST /admin/certificates/{serial}/{renew|reissue|revoke|notes|password}
Response certificate_post(App& app, const Request& req, Session& s);
Response certificate_download(App& app, const Request& req, Session& s, const Serial& serial, bool zip);

// slips_routes.cpp: POST /admin/slips (the password slips page), GET /admin/slips.css
Response password_slips_page(App& app, const Request& req, Session& s);
Response password_slips_stylesheet(App& app, const Request& req, Session& s);

// user_routes.cpp
Response users_page(App& app, const Request& req, Session& s);
Response add_user(App& app, const Request& req, Session& s);
// POST /admin/users/{name}/{disable|enable|reset}
Response user_post(App& app, const Request& req, Session& s);
Response password_page(App& app, const Request& req, Session& s);
Response change_password(App& app, const Request& req, Session& s);

// A serial from a URL segment; nullopt (answered 404) for anything that is not one.
std::optional<Serial> serial_from(const std::string& segment);

}  // namespace inkan::web::admin
