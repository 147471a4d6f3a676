// The JSON API (docs/api.md, schemas/json/api_*.schema.json). Authenticated by the client
// certificate. POST bodies must be application/json: a cross-site HTML form cannot send that,
// and browsers send client certificates to cross-site requests too (the API's CSRF defence).
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "web/api/renew_body.hpp"
#include "web/app.hpp"
#include "web/http/encoding.hpp"
#include "web/http/router.hpp"
#include "web/routes.hpp"
#include "web/http/stack_scrub.hpp"

namespace inkan::web {
namespace {

using nlohmann::json;
using service::HolderAccess;
using service::SelfRenewal;

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = body.dump();
  return r;
}

Response json_error(int status, std::string_view error, std::string_view message) {
  return json_response(status, json{{"error", error}, {"message", message}});
}

std::string_view renewal_name(SelfRenewal r) {
  switch (r) {
    case SelfRenewal::Allowed: return "allowed";
    case SelfRenewal::AlreadyRenewed: return "already_renewed";
    case SelfRenewal::TooEarly: return "too_early";
    case SelfRenewal::AdministratorOnly: return "administrator_only";
    case SelfRenewal::SuccessorRevoked: return "successor_revoked";
    case SelfRenewal::NotAllowed: break;
  }
  return "not_allowed";
}

// Refusals shared by both endpoints; `explain_expired` lets /me describe an expired certificate.
std::optional<Response> refusal(const Presented& p, bool explain_expired) {
  if (!p.present) return json_error(401, "no_certificate", "present a client certificate issued by this CA");
  switch (p.holder.access) {
    case HolderAccess::Granted: return std::nullopt;
    case HolderAccess::Expired:
      if (explain_expired) return std::nullopt;
      return json_error(403, "expired", "the certificate has expired: an administrator must reissue it");
    case HolderAccess::Revoked: return json_error(403, "revoked", "the certificate is revoked");
    case HolderAccess::NotYetValid: return json_error(403, "not_yet_valid", "the certificate is not valid yet");
    case HolderAccess::Unknown: break;
  }
  return json_error(403, "unknown_certificate", "the certificate was not issued by this CA");
}

Response me(App& app, const Request& req) {
  auto p = app.presented(req);
  if (auto r = refusal(p, true)) return *r;
  const auto& h = p.holder;
  const auto& c = *h.cert;
  json body{{"serial", c.serial.hex()},
            {"cn", c.cn},
            {"tenant", c.tenant_id},
            {"tenant_name", h.tenant_name},
            {"kind", to_string(c.kind)},
            {"status", to_string(h.status)},
            {"not_before", format_rfc3339(c.not_before)},
            {"not_after", format_rfc3339(c.not_after)},
            {"days_left", h.days_left},
            {"renewal_window_days", h.window_days},
            {"window_opens", format_rfc3339(h.window_opens)},
            {"renewable", h.renewal == SelfRenewal::Allowed || h.renewal == SelfRenewal::AlreadyRenewed},
            {"renewal", renewal_name(h.renewal)},
            {"successor", h.successor ? json(h.successor->serial.hex()) : json(nullptr)}};
  return json_response(200, body);
}

Response renew(App& app, const Request& req) {
  if (media_type(req.header("content-type")) != "application/json")
    return json_error(415, "unsupported_media_type", "send Content-Type: application/json");
  auto profile = parse_renew_body(req.body);
  if (!profile) return json_error(400, "invalid_body", "the body must be {} or {\"p12_profile\": \"compat\"|\"modern\"}");
  auto p = app.presented(req);
  if (auto r = refusal(p, false)) return *r;
  const auto& h = p.holder;
  switch (h.renewal) {
    case SelfRenewal::Allowed:
    case SelfRenewal::AlreadyRenewed:
      break;
    case SelfRenewal::AdministratorOnly:
      return json_error(403, "administrator_only", "tenant-admin certificates are renewed by administrators");
    case SelfRenewal::TooEarly:
      return json_response(403, json{{"error", "too_early"},
                                     {"message", "the renewal window has not opened yet"},
                                     {"window_opens", format_rfc3339(h.window_opens)}});
    case SelfRenewal::SuccessorRevoked:
      return json_error(409, "successor_revoked",
                        "the successor of this certificate was revoked: ask an administrator for a new certificate");
    case SelfRenewal::NotAllowed:
      return json_error(403, "not_renewable", "this certificate cannot renew itself");
  }
  auto result = app.renew(h, *profile);
  const auto& cred = result.credential;
  if (cred.p12.empty())
    return json_error(409, "no_credential", "the successor was signed from a CSR: there is no p12 to hand out");
  auto response = json_response(200, json{{"serial", cred.record.serial.hex()},
                                 {"predecessor", h.cert->serial.hex()},
                                 {"not_before", format_rfc3339(cred.record.not_before)},
                                 {"not_after", format_rfc3339(cred.record.not_after)},
                                 {"p12", base64_encode(cred.p12)},
                                 {"p12_profile", to_string(cred.profile)},
                                 {"password", cred.password},
                                 {"file_name", cred.file_stem + ".p12"},
                                 {"already_renewed", result.already_renewed}});
  scrub_stack();  // the serializer's stack buffer held the password
  return response;
}

}  // namespace

void add_api_routes(Router& router, App& app) {
  router.get("/api/v1/me", [&app](const Request& req) { return me(app, req); }, ErrorStyle::Json);
  router.post("/api/v1/renew", [&app](const Request& req) { return renew(app, req); }, ErrorStyle::Json);
}

}  // namespace inkan::web
