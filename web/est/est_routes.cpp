// EST (RFC 7030) for devices that hold their own keys: /cacerts and /simplereenroll (mutual
// TLS, the CSR's subject must be the presented certificate's; the lineage is recorded).
#include "ca/domain/error.hpp"
#include "web/app.hpp"
#include "web/http/encoding.hpp"
#include "web/est/pkcs7.hpp"
#include "web/http/router.hpp"
#include "web/routes.hpp"

namespace inkan::web {
namespace {

using service::HolderAccess;
using service::SelfRenewal;

Response text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body) + "\n";
  return r;
}

// Base64 folded at 64 columns, as RFC 7030 §4 bodies usually are.
Response pkcs7_response(const Bytes& der) {
  auto b64 = base64_encode(der);
  Response r;
  for (std::size_t i = 0; i < b64.size(); i += 64) r.body += b64.substr(i, 64) + "\n";
  r.content_type = "application/pkcs7-mime; smime-type=certs-only";
  r.header("Content-Transfer-Encoding", "base64");
  return r;
}

Response cacerts(App& app) { return pkcs7_response(est::certs_only(app.ca_certificates())); }

Response simplereenroll(App& app, const Request& req) {
  auto p = app.presented(req);
  if (!p.present) return text(401, "client certificate required");
  if (p.holder.access != HolderAccess::Granted) return text(403, "certificate not accepted");
  if (p.holder.renewal == SelfRenewal::AdministratorOnly) return text(403, "renewed by administrators only");
  if (p.holder.renewal == SelfRenewal::TooEarly)
    return text(403, "renewal window opens " + format_rfc3339(p.holder.window_opens));
  if (p.holder.renewal == SelfRenewal::NotAllowed) return text(403, "certificate not renewable");
  if (p.holder.renewal == SelfRenewal::SuccessorRevoked)
    return text(409, "the successor of this certificate was revoked: ask an administrator for a new certificate");
  if (media_type(req.header("content-type")) != "application/pkcs10")
    return text(415, "send Content-Type: application/pkcs10");
  auto der = base64_decode(req.body);
  if (!der || der->empty()) return text(400, "the body must be a base64 PKCS#10 request");
  const std::string_view csr(reinterpret_cast<const char*>(der->data()), der->size());
  if (auto owner = app.reused_key(p.holder, csr))
    return text(409, "the CSR carries the key of certificate " + owner->hex() +
                         " of this lineage; renewal needs a new key pair: generate one and send its CSR");
  auto cert = app.reenroll(p.holder, csr);
  return pkcs7_response(est::certs_only({cert.cert_der}));
}

}  // namespace

void add_est_routes(Router& router, App& app) {
  router.get("/.well-known/est/cacerts", [&app](const Request&) { return cacerts(app); }, ErrorStyle::Text);
  router.post("/.well-known/est/simplereenroll", [&app](const Request& req) { return simplereenroll(app, req); },
              ErrorStyle::Text);
}

}  // namespace inkan::web
