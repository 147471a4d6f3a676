#include "ca/service/ocsp/responder_certificates.hpp"

#include <algorithm>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/issuance/linted_signing.hpp"

namespace inkan::service {
namespace {

// Binds the sealed key to its certificate: a ciphertext copied onto another row does not open.
std::string seal_context(const Serial& serial) { return "inkan ocsp responder key v1|" + serial.hex(); }

}  // namespace

ResponderCredential ResponderCertificates::ensure(std::int64_t ca_id, std::chrono::days renew_before) {
  auto ca = store_.cas().find(ca_id);
  if (!ca) throw Error(ErrorCode::NotFound, "no CA with id " + std::to_string(ca_id));
  auto stored = store_.ocsp().current_responder(ca_id);
  if (!stored || clock_.now() + renew_before >= stored->not_after) return issue(*ca);
  ResponderCredential out;
  out.ca_id = ca_id;
  out.serial = stored->serial;
  out.cert_der = stored->cert_der;
  out.not_after = stored->not_after;
  const auto pkcs8 = keyring_.data_key().open({stored->key_nonce, stored->key_ciphertext}, seal_context(stored->serial));
  out.key_pkcs8_der.assign(pkcs8.begin(), pkcs8.end());
  return out;
}

ResponderCredential ResponderCertificates::issue(const CaRecord& ca) {
  if (!ca.key_held())
    throw Error(ErrorCode::InvalidState, "the key of CA " + std::to_string(ca.id) + " (" + ca.subject +
                                             ") is not held here: no OCSP responder can be issued for it");
  const auto now = clock_.now();
  const auto not_before = now - policy::kOcspResponderBackdate;
  const auto not_after = std::min(now + policy::kOcspResponderLifetime, ca.not_after);
  if (not_after <= now + std::chrono::days(1))
    throw Error(ErrorCode::InvalidState, "CA " + std::to_string(ca.id) + " (" + ca.subject + ") expires on " +
                                             format_date(ca.not_after) + ": no OCSP responder is issued for it");
  const auto& signer = keyring_.ca(store_, ca.id);
  auto key = crypto::PrivateKey::generate(KeyType::EcP256, rng_);
  auto tmpl = policy::ocsp_responder_template(signer.info().subject_dn, crypto::random_serial(rng_),
                                              std::max(not_before, ca.not_before), not_after);

  ResponderCredential out;
  out.ca_id = ca.id;
  out.serial = tmpl.serial;
  out.cert_der = sign_linted(signer, tmpl, key.public_key_der(), rng_);
  out.key_pkcs8_der = key.to_pkcs8_der();
  out.not_after = not_after;
  out.issued_now = true;

  const std::string plain(out.key_pkcs8_der.begin(), out.key_pkcs8_der.end());
  auto sealed = keyring_.data_key().seal(plain, seal_context(out.serial), rng_);
  OcspResponderRecord rec;
  rec.ca_id = ca.id;
  rec.serial = out.serial;
  rec.cert_der = out.cert_der;
  rec.key_nonce = sealed.nonce;
  rec.key_ciphertext = sealed.ciphertext;
  rec.not_before = tmpl.not_before;
  rec.not_after = not_after;
  rec.created_at = now;
  auto tx = store_.begin();
  store_.ocsp().add_responder(rec);
  record(store_, clock_, actor_, "ocsp.responder.issue", "ca:" + std::to_string(ca.id),
         "serial=" + out.serial.hex() + " not_after=" + format_rfc3339(not_after));
  tx->commit();
  return out;
}

}  // namespace inkan::service
