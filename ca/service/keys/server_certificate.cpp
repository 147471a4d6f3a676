#include "ca/service/keys/server_certificate.hpp"

#include <algorithm>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/policy/server_profile.hpp"
#include "ca/service/issuance/linted_signing.hpp"

namespace inkan::service {
namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// The host names a stored certificate was issued for, as recorded next to it.
constexpr const char* kServerHostnames = "web.server_hostnames";

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

std::optional<ServerCredential> ServerCertificates::stored(const std::vector<std::string>& hostnames,
                                                           std::chrono::days renew_before) {
  auto& s = store_.settings();
  auto cert_pem = s.get(settings_keys::kServerCertPem);
  auto chain_pem = s.get(settings_keys::kServerChainPem);
  auto key_pem = s.get(settings_keys::kServerKeyPem);
  auto names = s.get(kServerHostnames);
  if (!cert_pem || !chain_pem || !key_pem || !names || *names != join(sorted(hostnames))) return std::nullopt;

  ServerCredential out;
  out.cert_der = crypto::pem_decode_all(*cert_pem, "CERTIFICATE").front();
  out.chain_der = crypto::pem_decode_all(*chain_pem, "CERTIFICATE");
  auto info = crypto::inspect_certificate(out.cert_der);
  out.serial = info.serial;
  out.not_after = info.not_after;
  if (clock_.now() + renew_before >= info.not_after) return std::nullopt;
  // Still signed by a CA of this installation (a restore into another CA would not be).
  bool ours = false;
  for (const auto& ca : store_.cas().list())
    if (!out.chain_der.empty() && ca.cert_der == out.chain_der.front()) ours = true;
  if (!ours) return std::nullopt;
  out.key_pkcs8_der = crypto::PrivateKey::from_encrypted_pem(*key_pem, keyring_.passphrase(store_)).to_pkcs8_der();
  return out;
}

ServerCredential ServerCertificates::ensure(const std::vector<std::string>& hostnames,
                                            std::chrono::days renew_before) {
  for (const auto& h : hostnames) policy::validate_server_hostname(h);
  if (auto current = stored(hostnames, renew_before)) return *current;
  return issue(hostnames, renew_before);
}

ServerCredential ServerCertificates::issue(const std::vector<std::string>& hostnames, std::chrono::days renew_before) {
  const auto& signer = keyring_.issuing_ca(store_);
  // The key and its encryption (a passphrase KDF) before the write lock is taken.
  auto key = crypto::PrivateKey::generate(KeyType::EcP256, rng_);
  auto encrypted = key.to_encrypted_pem(keyring_.passphrase(store_), rng_);

  // Several nodes share the database and the host names: the first to hold the write lock
  // issues, and the others, finding its certificate once they hold the lock, present that one.
  auto tx = store_.begin();
  if (auto current = stored(hostnames, renew_before)) return *current;
  auto ca = store_.cas().active_issuing();
  if (!ca) throw Error(ErrorCode::InvalidState, "no active issuing CA: run `inkan init` first");
  const auto now = clock_.now();
  auto not_after = std::min(add(now, policy::kDefaultServerValidity), ca->not_after);
  if (not_after <= now + std::chrono::days(1))
    throw Error(ErrorCode::InvalidState, "the issuing CA expires on " + format_date(ca->not_after) +
                                             ": roll it over before serving (inkan ca rollover)");
  auto tmpl = policy::server_template(hostnames, crypto::random_serial(rng_), now, not_after, false);

  ServerCredential out;
  out.cert_der = sign_linted(signer, tmpl, key.public_key_der(), rng_);
  out.chain_der = {signer.cert_der()};
  if (ca->parent_id)
    if (auto root = store_.cas().find(*ca->parent_id)) out.chain_der.push_back(root->cert_der);
  out.key_pkcs8_der = key.to_pkcs8_der();
  out.serial = tmpl.serial;
  out.not_after = not_after;
  out.issued_now = true;

  std::string chain;
  for (const auto& c : out.chain_der) chain += crypto::pem_encode(c, "CERTIFICATE");
  auto& s = store_.settings();
  s.put(settings_keys::kServerCertPem, crypto::pem_encode(out.cert_der, "CERTIFICATE"));
  s.put(settings_keys::kServerChainPem, chain);
  s.put(settings_keys::kServerKeyPem, encrypted);
  s.put(kServerHostnames, join(sorted(hostnames)));
  record(store_, clock_, actor_, "server.issue", "server:" + out.serial.hex(),
         "hostnames=" + join(hostnames) + " not_after=" + format_rfc3339(not_after));
  tx->commit();
  return out;
}

}  // namespace inkan::service
