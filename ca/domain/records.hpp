#pragma once
// Value types that the store persists and the services pass around.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/enums.hpp"
#include "ca/domain/serial.hpp"
#include "ca/domain/time.hpp"

namespace inkan {

using Bytes = std::vector<std::uint8_t>;

struct Tenant {
  std::string id;    // short identifier used in file names and URLs: [a-z0-9][a-z0-9_-]{0,62}
  std::string name;  // display name; also the O= of the tenant's certificates
  Timestamp created_at{};
  // Reserved for the lifecycle issue: per-tenant renewal window override, in days.
  std::optional<int> renewal_window_days;
  // Revoke a renewed certificate (reason superseded) this many days after its successor was
  // issued; nullopt = never (the seed's rule: both stay valid until the old one expires).
  std::optional<int> revoke_predecessor_after_days;
  // Set when the facility left (`inkan tenant retire`): nothing is issued or renewed for it, its
  // certificates and history stay for the record.
  std::optional<Timestamp> retired_at;
};

// A CA key held in a PKCS#11 token rather than in the database: the module (shared library) that
// drives the token and the RFC 7512 URI naming the key on it. Neither is secret; the PIN is never
// recorded.
struct TokenKeyRef {
  std::string module_path;
  std::string uri;
};

// A CA certificate known to this installation. The private key, when held, is an encrypted
// PKCS#8 PEM (PBES2, PBKDF2-SHA256 >= 600k, AES-256-CBC): the database alone yields no key.
struct CaRecord {
  std::int64_t id = 0;  // assigned by the store
  CaRole role = CaRole::Issuing;
  std::string subject;  // RFC 4514 text, for display
  Bytes cert_der;
  std::string encrypted_key_pem;  // empty when the key is held elsewhere (offline root, token)
  std::optional<TokenKeyRef> token_key;  // set when a PKCS#11 token holds the key
  KeyType key_type = KeyType::Rsa3072;
  Timestamp not_before{};
  Timestamp not_after{};
  bool active = false;  // the issuing CA new certificates are signed by
  std::optional<std::int64_t> parent_id;  // the root that signed an issuing CA
  // Issuing CAs: the CRL distribution point its new certificates name. Every URL a CA ever
  // used stays its own (CaRepository::crl_urls), so a certificate's URL leads to its CA's CRL.
  std::optional<std::string> crl_url;

  // This installation can sign with the key: encrypted here or on a token it records.
  bool key_held() const { return !encrypted_key_pem.empty() || token_key.has_value(); }
};

// A CRL URL and the CA whose CRL it leads to.
struct CaCrlUrl {
  std::string url;
  std::int64_t ca_id = 0;
  bool current = false;  // the one the CA's new certificates name
};

// An issuing CA whose key exists but whose certificate an offline root has yet to sign
// (`inkan ca csr`, then `inkan root sign` elsewhere, then `inkan ca import`). At most one.
struct PendingCa {
  KeyType key_type = KeyType::Rsa3072;
  std::string encrypted_key_pem;  // same protection as CaRecord::encrypted_key_pem
  Bytes csr_der;                  // the PKCS#10 handed to the root: subject and public key
  Timestamp created_at{};
  std::optional<TokenKeyRef> token_key;  // instead of encrypted_key_pem: the key is on a token
};

// The p12 exactly as delivered, and its password encrypted under the data key (AES-256-GCM).
struct Credential {
  Bytes p12;
  P12Profile profile = P12Profile::Compat;
  Bytes password_nonce;       // 12 octets
  Bytes password_ciphertext;  // ciphertext || 16-octet tag
};

struct CertificateRecord {
  Serial serial = Serial::from_bytes({1});
  std::int64_t ca_id = 0;
  std::string tenant_id;
  std::string cn;
  CertKind kind = CertKind::Terminal;
  KeyType key_type = KeyType::Rsa2048;
  std::optional<std::string> email;
  CertState state = CertState::Reserved;
  Timestamp requested_at{};  // 発行申請日時: when the reservation was made
  std::optional<Timestamp> issued_at;  // 発行日: when the signed certificate was committed
  Timestamp not_before{};
  Timestamp not_after{};
  std::string sha256;  // lowercase hex of the DER, empty while reserved
  Bytes cert_der;      // empty while reserved
  std::optional<Serial> predecessor;
  std::optional<Serial> successor;
  std::optional<Timestamp> revoked_at;
  std::optional<RevocationReason> revocation_reason;
  std::string notes;
  bool has_credential = false;  // false for certificates signed from a CSR (we never saw the key)

  // Status seen by users at `now`: a certificate past notAfter is expired unless revoked.
  CertStatus status_at(Timestamp now) const;
};

// What a new issuance records before signing (design.md §7: reserve, sign, commit).
struct Reservation {
  Serial serial = Serial::from_bytes({1});
  std::int64_t ca_id = 0;
  std::string tenant_id;
  std::string cn;
  CertKind kind = CertKind::Terminal;
  KeyType key_type = KeyType::Rsa2048;
  std::optional<std::string> email;
  Timestamp requested_at{};
  Timestamp not_before{};
  Timestamp not_after{};
  std::optional<Serial> predecessor;
};

struct IssuedCertificate {
  Bytes cert_der;
  std::string sha256;
  Timestamp issued_at{};
  std::optional<Credential> credential;
};

struct CertificateFilter {
  std::optional<std::string> tenant_id;
  std::optional<CertStatus> status;  // evaluated at `now`
  std::optional<Timestamp> expiring_before;  // notAfter <= this (and not yet expired at `now`)
  Timestamp now{};
  bool include_reserved = false;
  std::size_t limit = 0;  // 0 = no limit
  std::size_t offset = 0;
};

struct RevokedEntry {
  Serial serial = Serial::from_bytes({1});
  Timestamp revoked_at{};
  RevocationReason reason = RevocationReason::Unspecified;
};

// The last CRL signed for a CA, as every node serves it (issue 22 item 3).
struct StoredCrl {
  std::int64_t ca_id = 0;
  std::uint64_t number = 0;
  Bytes der;
  Timestamp this_update{};
  Timestamp next_update{};
  std::string entries_digest;  // of the revoked entries it lists, to tell a stale one
};

// One entry of the append-only audit log. `hash` = SHA-256 over prev_hash and the fields.
struct AuditEvent {
  std::int64_t seq = 0;  // assigned by the store
  Timestamp at{};
  std::string actor;   // "cli:<user>", "admin:<name>", "portal:<serial>"
  std::string action;  // "ca.init", "tenant.add", "cert.issue", "cert.revoke", "password.reveal", ...
  std::string object;  // "tenant:acme", "cert:<serial>", "ca:<id>"
  std::string detail;  // short JSON or text, never a secret
  // The tenant the object belongs to, derived by the store from `object` when it appends (an
  // index for filters, not part of the hash). nullopt for entries of no one tenant.
  std::optional<std::string> tenant_id;
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

}  // namespace inkan
