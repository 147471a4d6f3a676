#include "ca/service/issuance/credentials.hpp"

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/thumbprint.hpp"
#include "ca/crypto/pkcs12/pkcs12.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/service/issuance/import_instructions.hpp"
#include "ca/service/files/zip_archive.hpp"

#include <set>

namespace inkan::service {

std::string chain_pem(Store& store, std::int64_t issuing_ca_id) {
  std::string out;
  auto ca = store.cas().find(issuing_ca_id);
  if (!ca) throw Error(ErrorCode::NotFound, "unknown CA id " + std::to_string(issuing_ca_id));
  out += crypto::pem_encode(ca->cert_der, "CERTIFICATE");
  if (ca->parent_id)
    if (auto root = store.cas().find(*ca->parent_id)) out += crypto::pem_encode(root->cert_der, "CERTIFICATE");
  return out;
}

std::vector<RootFile> root_files(Store& store, const std::vector<std::int64_t>& issuing_ca_ids) {
  std::vector<RootFile> roots;
  std::set<std::int64_t> seen;
  for (auto id : issuing_ca_ids) {
    auto ca = store.cas().find(id);
    if (!ca || !ca->parent_id || !seen.insert(*ca->parent_id).second) continue;
    auto root = store.cas().find(*ca->parent_id);
    if (!root) continue;
    const std::string name = roots.empty() ? "ca-root.crt" : "ca-root-" + std::to_string(roots.size() + 1) + ".crt";
    roots.push_back({name, crypto::pem_encode(root->cert_der, "CERTIFICATE"), crypto::windows_thumbprint(root->cert_der)});
  }
  return roots;
}

std::string bundle_readme(const std::string& p12_name, const std::vector<RootFile>& roots) {
  std::vector<TrustedRoot> trusted;
  for (const auto& r : roots) trusted.push_back({r.name, r.thumbprint});
  return import_instructions(p12_name, trusted);
}

CertificateRecord Credentials::require(const Serial& serial) {
  auto rec = store_.certificates().find(serial);
  if (!rec || rec->state == CertState::Reserved)
    throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
  return *rec;
}

Credential Credentials::require_credential(const CertificateRecord& rec) {
  auto cred = store_.certificates().credential(rec.serial);
  if (!cred)
    throw Error(ErrorCode::InvalidState, "certificate " + rec.serial.hex() +
                                             " was signed from a CSR: its private key was never held here");
  return *cred;
}

std::string Credentials::open_password(const CertificateRecord& rec, const Credential& cred) {
  return keyring_.data_key().open({cred.password_nonce, cred.password_ciphertext}, rec.serial.hex());
}

Bytes Credentials::p12(const Serial& serial, std::optional<P12Profile> profile) {
  auto rec = require(serial);
  auto cred = require_credential(rec);
  if (!profile || *profile == cred.profile) return cred.p12;
  // Same key, certificates, friendly name and password; only the encryption changes.
  auto password = open_password(rec, cred);
  auto contents = crypto::parse_pkcs12(cred.p12, password);
  crypto::Pkcs12Input in{contents.private_key_pkcs8_der, contents.cert_der, contents.chain_der,
                         contents.friendly_name, password, *profile};
  return crypto::build_pkcs12(in);
}

Bytes Credentials::zip(const Serial& serial, std::optional<P12Profile> profile) {
  auto rec = require(serial);
  auto stem = policy::credential_file_stem(rec.tenant_id, rec.cn, rec.serial);
  auto chain = chain_pem(store_, rec.ca_id);
  auto roots = root_files(store_, {rec.ca_id});
  auto bytes = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
  std::vector<ZipEntry> members{{stem + ".p12", p12(serial, profile)},
                                                     {"ca-chain.pem", bytes(chain)}};
  for (const auto& r : roots) members.emplace_back(r.name, bytes(r.pem));
  members.emplace_back("README.txt", bytes(bundle_readme(stem + ".p12", roots)));
  return make_zip(members);
}

std::string Credentials::reveal_password(const Serial& serial) {
  auto rec = require(serial);
  auto cred = require_credential(rec);
  auto password = open_password(rec, cred);
  auto tx = store_.begin();
  record(store_, clock_, actor_, "password.reveal", "cert:" + serial.hex());
  tx->commit();
  return password;
}

std::string Credentials::file_stem(const Serial& serial) {
  auto rec = require(serial);
  return policy::credential_file_stem(rec.tenant_id, rec.cn, rec.serial);
}

}  // namespace inkan::service
