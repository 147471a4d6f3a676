// The certificate actions: renew, reissue, revoke, notes, password reveal, downloads and issue.
// Each goes through service::AdminCertificates in the administrator's TenantScope
// (App::admin_certificates), so another tenant's certificate is a 404 exactly like a missing one
// and every change is audited as admin:<username>.
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/domain/time.hpp"
#include "web/http/shown_time.hpp"
#include "web/admin/format.hpp"
#include "web/admin/handlers.hpp"
#include "web/admin/pages.hpp"
#include "web/app.hpp"
#include "web/http/stack_scrub.hpp"

namespace inkan::web::admin {
namespace {

std::optional<P12Profile> profile_of(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto p = parse_p12_profile(text);
  if (!p) throw Error(ErrorCode::InvalidArgument, "profile: compat or modern");
  return p;
}

// The page after a renewal, reissue or issue: the seed's success message, the new dates, the
// downloads and the password (behind <details>, no script needed).
Response issued_page(const App& app, const Request& req, Session& s, const service::IssuedCredential& cred,
                     std::string_view heading_key, bool again, int status) {
  const Lang lang = language_of(req);
  View v = session_view(req, s, "certificates", heading_key);
  v.set("heading", tr(heading_key, lang)).set("heading_key", std::string(heading_key));
  v.flag("again", again);
  const auto& rec = cred.record;
  v.set("serial", rec.serial.hex()).set("cn", rec.cn);
  if (rec.issued_at) set_time(v, "issued", *rec.issued_at, app.time_zone(), lang, TimeStyle::Date).flag("has_issued");
  else v.set("issued", "-");
  set_time(v, "not_after", rec.not_after, app.time_zone(), lang);
  v.set("file_name", cred.file_stem + ".p12");
  v.flag("has_credential", !cred.p12.empty());
  if (!cred.password.empty()) v.set("password", cred.password).flag("has_password");
  return page(status, "admin_issued", v);
}

Response renew(App& app, const Request& req, Session& s, const Serial& serial) {
  try {
    auto result = app.admin_certificates(s.user(), [&](auto& certs) { return certs.renew(serial); });
    return issued_page(app, req, s, result.credential, "renewed_heading", result.already_renewed, 200);
  } catch (const Error& e) {
    // Outside the renewal window: say so rather than a bare 403.
    if (e.code() != ErrorCode::PolicyViolation) throw;
    return message_page(req, 403, "error_heading", {"too_early_1"}, NextLink::Top);
  }
}

Response reissue(App& app, const Request& req, Session& s, const Serial& serial) {
  auto result = app.admin_certificates(s.user(), [&](auto& certs) { return certs.reissue(serial); });
  return issued_page(app, req, s, result.credential, "reissued_heading", result.already_renewed, 200);
}

Response revoke(App& app, const Request&, Session& s, const Serial& serial) {
  auto reason = parse_revocation_reason(s.form["reason"]);
  if (!reason) throw Error(ErrorCode::InvalidArgument, "reason: unknown");
  app.admin_certificates(s.user(), [&](auto& certs) { return certs.revoke(serial, *reason); });
  return redirect("/admin/certificates/" + serial.hex() + "?done=revoked");
}

Response notes(App& app, const Request&, Session& s, const Serial& serial) {
  const std::string text = s.form["notes"];
  app.admin_certificates(s.user(), [&](auto& certs) { return certs.set_notes(serial, text); });
  return redirect("/admin/certificates/" + serial.hex() + "?done=notes");
}

// JSON for the script's fetch, else the detail page with the password shown. Never cached.
Response reveal(App& app, const Request& req, Session& s, const Serial& serial) {
  auto password = app.admin_certificates(s.user(), [&](auto& certs) { return certs.reveal_password(serial); });
  if (!accepts_json(req.header("accept"))) return certificate_detail(app, req, s, serial, password);
  Response r;
  r.content_type = "application/json";
  r.body = nlohmann::json{{"password", password}}.dump();
  scrub_stack();  // the serializer's stack buffer held the password
  return r;
}

}  // namespace

Response certificate_post(App& app, const Request& req, Session& s) {
  const auto parts = path_segments(req.path, "/admin/certificates/");
  const auto serial = parts.size() == 2 ? serial_from(parts[0]) : std::nullopt;
  if (!serial) return error_page(req, 404);
  const auto& action = parts[1];
  if (action == "renew") return renew(app, req, s, *serial);
  if (action == "reissue") return reissue(app, req, s, *serial);
  if (action == "revoke") return revoke(app, req, s, *serial);
  if (action == "notes") return notes(app, req, s, *serial);
  if (action == "password") return reveal(app, req, s, *serial);
  return error_page(req, 404);
}

Response certificate_download(App& app, const Request& req, Session& s, const Serial& serial, bool zip) {
  const auto profile = profile_of(req.param("profile"));
  Response r;
  std::string stem;
  const Bytes data = app.admin_certificates(s.user(), [&](auto& certs) {
    stem = certs.file_stem(serial);
    return zip ? certs.zip(serial, profile) : certs.p12(serial, profile);
  });
  r.content_type = zip ? "application/zip" : "application/x-pkcs12";
  r.body.assign(data.begin(), data.end());
  r.header("Content-Disposition", content_disposition(stem, zip ? "zip" : "p12"));
  return r;
}

Response issue_certificate(App& app, const Request& req, Session& s) {
  service::IssueRequest r;
  r.tenant_id = s.form["tenant"].empty() ? s.user().tenant_id.value_or("") : s.form["tenant"];
  r.common_name = s.form["cn"];
  auto kind = parse_cert_kind(s.form["kind"]);
  auto key = parse_key_type(s.form["key"].empty() ? "rsa-2048" : s.form["key"]);
  auto profile = profile_of(s.form["profile"]);
  if (r.tenant_id.empty() || !kind || !key) throw Error(ErrorCode::InvalidArgument, "tenant, kind or key missing");
  r.kind = *kind;
  r.key_type = *key;
  r.p12_profile = profile.value_or(P12Profile::Compat);
  if (!s.form["email"].empty()) r.email = s.form["email"];
  if (r.kind == CertKind::TenantAdmin && !s.form["admin"].empty()) r.admin_username = s.form["admin"];
  // The CLI's rules (docs/cli.md, Formats): calendar units, years 1950-9999, UTC midnight.
  if (!s.form["validity"].empty()) r.validity = parse_validity(s.form["validity"]);
  if (!s.form["not_before"].empty()) r.not_before = parse_date_or_time(s.form["not_before"]);
  auto cred = app.admin_certificates(s.user(), [&](auto& certs) { return certs.issue(r); });
  return issued_page(app, req, s, cred, "issued_heading", false, 201);
}

}  // namespace inkan::web::admin
