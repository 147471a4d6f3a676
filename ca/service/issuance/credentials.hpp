#pragma once
// Handing a stored credential out again: the p12 (in either profile), a zip bundle for the
// administrator, and the password (every reveal is audited).
#include <optional>
#include <string>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/domain/records.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

class Credentials {
 public:
  Credentials(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(std::move(actor)) {}

  // The p12 as issued, or re-wrapped in another profile with the same password.
  Bytes p12(const Serial& serial, std::optional<P12Profile> profile = std::nullopt);
  // A zip with the p12, the CA chain (PEM) and import instructions; never the password.
  Bytes zip(const Serial& serial, std::optional<P12Profile> profile = std::nullopt);
  std::string reveal_password(const Serial& serial);
  // File stem for downloads of this certificate (policy::credential_file_stem).
  std::string file_stem(const Serial& serial);

 private:
  CertificateRecord require(const Serial& serial);
  Credential require_credential(const CertificateRecord& rec);
  std::string open_password(const CertificateRecord& rec, const Credential& cred);

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
};

// PEM of the CA certificates a client needs: the certificate's issuing CA, then its root.
std::string chain_pem(Store& store, std::int64_t issuing_ca_id);

// The roots above these issuing CAs, once each, as zip members: "ca-root.crt", then
// "ca-root-2.crt" when a rollover went to another root. PEM, which Windows opens from a .crt.
struct RootFile {
  std::string name;
  std::string pem;
  std::string thumbprint;  // as Windows shows it (crypto::windows_thumbprint)
};
std::vector<RootFile> root_files(Store& store, const std::vector<std::int64_t>& issuing_ca_ids);

// README.txt for a bundle holding `p12_name` and these roots (import_instructions.hpp).
std::string bundle_readme(const std::string& p12_name, const std::vector<RootFile>& roots);

}  // namespace inkan::service
