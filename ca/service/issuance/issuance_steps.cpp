#include "ca/service/issuance/issuance_steps.hpp"

#include "ca/crypto/x509/key.hpp"
#include "ca/crypto/secrets/password.hpp"
#include "ca/crypto/pkcs12/pkcs12.hpp"
#include "ca/domain/error.hpp"
#include "ca/domain/time.hpp"
#include "ca/policy/naming.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/settings_keys.hpp"
#include "ca/service/issuance/linted_signing.hpp"

namespace inkan::service {
namespace {

std::string_view audit_action(IssueReason reason) {
  switch (reason) {
    case IssueReason::New: return "cert.issue";
    case IssueReason::Renewal: return "cert.renew";
    case IssueReason::Reissue: return "cert.reissue";
  }
  return "cert.issue";
}

}  // namespace

IssuanceContext load_issuance_context(Store& store, const std::string& tenant_id) {
  auto tenant = store.tenants().find(tenant_id);
  if (!tenant) throw Error(ErrorCode::NotFound, "unknown tenant '" + tenant_id + "': add it with `inkan tenant add`");
  if (tenant->retired_at)
    throw Error(ErrorCode::InvalidState, "tenant '" + tenant_id + "' was retired on " + format_date(*tenant->retired_at) +
                                             ": nothing is issued or renewed for it (`inkan tenant reinstate " +
                                             tenant_id + "` puts it back in service)");
  auto ca = store.cas().active_issuing();
  if (!ca) throw Error(ErrorCode::InvalidState, "no active issuing CA: run `inkan init` first");
  IssuanceContext ctx{*tenant, *ca, ca->crl_url, {ca->cert_der}, {}};  // the URL of the signing CA's own CRL
  if (auto url = store.settings().get(settings_keys::kOcspUrl); url && !url->empty()) ctx.ocsp_url = url;
  if (ca->parent_id)
    if (auto root = store.cas().find(*ca->parent_id)) ctx.chain_der.push_back(root->cert_der);
  return ctx;
}

void validate_issuance_names(const IssuanceSpec& spec) {
  policy::validate_tenant_id(spec.tenant_id);
  policy::validate_common_name(spec.common_name);
  if (spec.email) policy::validate_email(*spec.email);
}

IssuancePlan plan_issuance(const IssuanceContext& ctx, const IssuanceSpec& spec, Timestamp now, crypto::Rng& rng) {
  validate_issuance_names(spec);
  policy::ClientCertificateRequest creq;
  creq.organization = ctx.tenant.name;
  creq.common_name = spec.common_name;
  creq.kind = spec.kind;
  creq.key_type = spec.key_type;
  creq.email = spec.email;
  creq.not_before = spec.not_before.value_or(now);
  creq.validity = spec.validity.value_or(policy::kDefaultClientValidity);
  creq.crl_url = ctx.crl_url;
  creq.ocsp_url = ctx.ocsp_url;

  IssuancePlan p{policy::client_template(creq, crypto::random_serial(rng)), {}};
  policy::check_within_issuer(p.tmpl, ctx.ca.not_after);
  auto& r = p.reservation;
  r.serial = p.tmpl.serial;
  r.ca_id = ctx.ca.id;
  r.tenant_id = spec.tenant_id;
  r.cn = spec.common_name;
  r.kind = spec.kind;
  r.key_type = spec.key_type;
  r.email = spec.email;
  r.requested_at = now;
  r.not_before = p.tmpl.not_before;
  r.not_after = p.tmpl.not_after;
  r.predecessor = spec.predecessor;
  return p;
}

Credential package_credential(const Bytes& pkcs8_der, const Bytes& cert_der, const IssuancePlan& plan,
                              const std::vector<Bytes>& chain_der, const crypto::DataKey& data_key,
                              P12Profile profile, Timestamp issued_at, const std::string& password,
                              crypto::Rng& rng, KeyOrigin origin) {
  crypto::Pkcs12Input in;
  in.private_key_pkcs8_der = pkcs8_der;
  in.cert_der = cert_der;
  in.chain_der = chain_der;
  in.friendly_name = policy::friendly_name(plan.reservation.cn, issued_at);
  in.password = password;
  in.profile = profile;
  in.check_key_matches_cert = origin == KeyOrigin::Given;
  auto p12 = crypto::build_pkcs12(in);
  // The serial is the authenticated context: a ciphertext copied to another row does not open.
  auto sealed = data_key.seal(password, plan.reservation.serial.hex(), rng);
  return Credential{std::move(p12), profile, sealed.nonce, sealed.ciphertext};
}

PackagedCredential sign_and_package(const crypto::SigningCa& ca, const IssuancePlan& plan,
                                    const std::vector<Bytes>& chain_der, const crypto::DataKey& data_key,
                                    P12Profile profile, Timestamp issued_at, crypto::Rng& rng) {
  auto key = crypto::PrivateKey::generate(plan.reservation.key_type, rng);
  PackagedCredential out;
  out.password = crypto::generate_p12_password(rng);
  out.issued.cert_der = sign_linted(ca, plan.tmpl, key.public_key_der(), rng);
  out.issued.sha256 = crypto::sha256_hex(out.issued.cert_der);
  out.issued.issued_at = issued_at;
  out.issued.credential = package_credential(key.to_pkcs8_der(), out.issued.cert_der, plan, chain_der, data_key,
                                             profile, issued_at, out.password, rng, KeyOrigin::SignedHere);
  return out;
}

void commit_issuance(Store& store, const Clock& clock, const Actor& actor, const Reservation& r,
                     const IssuedCertificate& issued, IssueReason reason, bool allow_revoked_predecessor,
                     std::string_view detail) {
  const auto& pred = r.predecessor;
  if (pred && !store.certificates().link_successor(*pred, r.serial, allow_revoked_predecessor))
    throw Error(ErrorCode::Conflict, "certificate " + pred->hex() + " was renewed or revoked meanwhile");
  store.certificates().commit_issued(r.serial, issued);
  std::string text = "tenant=" + r.tenant_id + " cn=" + r.cn + " kind=" + std::string(to_string(r.kind)) +
                     (pred ? " predecessor=" + pred->hex() : "");
  if (!detail.empty()) text += " " + std::string(detail);
  record(store, clock, actor, audit_action(reason), "cert:" + r.serial.hex(), text);
}

}  // namespace inkan::service
