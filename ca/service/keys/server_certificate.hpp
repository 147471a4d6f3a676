#pragma once
// The TLS server certificate of `inkan serve`, issued by the active issuing CA for the host
// names the appliance is reached by, and renewed when it nears its end or the names change.
//
// It lives in the settings table (so backups carry it, and every node of an installation
// presents the same one), never in the certificates table: it
// is not a client certificate, cannot log in to the portal and is not on the CRL. Its key is an
// encrypted PKCS#8 PEM under the operator's passphrase, like the CA keys (design.md §7).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/domain/records.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

inline constexpr std::chrono::days kServerRenewBefore{30};

namespace settings_keys {
inline constexpr const char* kServerCertPem = "web.server_cert_pem";    // leaf
inline constexpr const char* kServerChainPem = "web.server_chain_pem";  // issuing CA, root
inline constexpr const char* kServerKeyPem = "web.server_key_pem";      // encrypted PKCS#8
}  // namespace settings_keys

struct ServerCredential {
  Bytes cert_der;
  std::vector<Bytes> chain_der;  // the issuing CA, then the root
  Bytes key_pkcs8_der;           // in memory only
  Serial serial = Serial::from_bytes({1});
  Timestamp not_after{};
  bool issued_now = false;
};

class ServerCertificates {
 public:
  ServerCertificates(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(std::move(actor)) {}

  // The stored server certificate when it names exactly `hostnames`, chains to a CA we hold
  // and has more than `renew_before` left; otherwise a new one (EC P-256, one year, bounded by
  // the issuing CA), stored and audited ("server.issue") before it is returned. Every node of an
  // installation shares the stored one: the stored certificate is checked again under the write
  // lock before a new one is signed, so two nodes renewing at once issue one certificate.
  ServerCredential ensure(const std::vector<std::string>& hostnames,
                          std::chrono::days renew_before = kServerRenewBefore);

 private:
  std::optional<ServerCredential> stored(const std::vector<std::string>& hostnames, std::chrono::days renew_before);
  ServerCredential issue(const std::vector<std::string>& hostnames, std::chrono::days renew_before);

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
};

}  // namespace inkan::service
