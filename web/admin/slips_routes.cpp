// パスワード票 (issue 16 item 10): POST /admin/slips prints the password slips of the
// administrator's tenant (an operator names one), or of one batch job's certificates of it.
// A POST with the CSRF token, like the password reveal, because it reveals every password it
// prints (audited as password.reveal); never cached. GET /admin/slips.css is its stylesheet.
#include "ca/domain/error.hpp"
#include "web/admin/handlers.hpp"
#include "web/admin/pages.hpp"
#include "web/app.hpp"
#include "web/password_slips.hpp"

namespace inkan::web::admin {
namespace {

// A batch job id from the form: empty = the whole tenant.
std::optional<std::int64_t> job_from(const std::string& text) {
  if (text.empty()) return std::nullopt;
  if (text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorCode::InvalidArgument, "job: not a batch job number");
  return std::stoll(text);
}

}  // namespace

Response password_slips_page(App& app, const Request&, Session& s) {
  // A tenant administrator prints their own tenant whatever the form says; the scope check in
  // AdminCertificates answers NotFound (404) for any other.
  const std::string tenant = s.user().is_operator() ? s.form["tenant"] : s.user().tenant_id.value_or("");
  if (tenant.empty()) throw Error(ErrorCode::InvalidArgument, "tenant: required");
  const auto job = job_from(s.form["job"]);
  const auto sheet = app.admin_certificates(s.user(), [&](auto& certs) { return certs.password_slips(tenant, job); });
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body = password_slips_html(sheet, SlipStyle::Linked, app.time_zone());
  r.header("Cache-Control", "no-store");
  return secured(std::move(r));
}

Response password_slips_stylesheet(App&, const Request&, Session&) {
  Response r;
  r.content_type = "text/css; charset=utf-8";
  r.body = password_slips_css();
  return secured(std::move(r));
}

}  // namespace inkan::web::admin
