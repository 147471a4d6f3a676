#pragma once
// What the holder of a presented client certificate may do in the portal, the JSON API and
// EST. The holder is identified by the SHA-256 of the certificate's DER, never by its subject
// (design.md §7); every call reads the certificate's state from the store again.
#include <optional>
#include <string>
#include <string_view>

#include "ca/policy/renewal_window.hpp"
#include "ca/service/lifecycle/renewal.hpp"

namespace inkan::service {

// Whether a presented certificate is admitted at all.
enum class HolderAccess {
  Granted,      // ours, active or superseded, inside its validity
  Expired,      // past notAfter: admitted for the explanation only
  NotYetValid,  // before notBefore: refused
  Revoked,      // refused
  Unknown,      // not a certificate of ours (or only a reservation): refused
};

// Whether the holder may renew by itself, and if not why.
enum class SelfRenewal {
  Allowed,            // inside the window
  AlreadyRenewed,     // the successor is handed out again
  TooEarly,           // the window has not opened yet
  AdministratorOnly,  // tenant-admin certificates are renewed by administrators (seed rule 5)
  SuccessorRevoked,   // superseded, and the successor was revoked: an administrator decides
  NotAllowed,         // expired, revoked, not yet valid or unknown
};

struct Holder {
  HolderAccess access = HolderAccess::Unknown;
  std::optional<CertificateRecord> cert;
  std::string tenant_name;
  CertStatus status = CertStatus::Active;  // meaningful when cert is set
  long days_left = 0;
  int window_days = policy::kDefaultRenewalWindowDays;
  Timestamp window_opens{};
  SelfRenewal renewal = SelfRenewal::NotAllowed;
  std::optional<CertificateRecord> successor;

  bool in_window() const { return renewal == SelfRenewal::Allowed || renewal == SelfRenewal::AlreadyRenewed; }
  std::string actor_name() const;  // "portal:<serial>", or "portal:unknown"
};

class SelfService {
 public:
  SelfService(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng) {}

  // `sha256` is the lowercase hex of the presented certificate's DER.
  Holder identify(const std::string& sha256);

  // Self-service renewal with a server-made key (portal and API). Refused with
  // Error(PolicyViolation) unless holder.renewal is Allowed or AlreadyRenewed; idempotent.
  RenewalResult renew(const Holder& holder, std::optional<P12Profile> profile);

  // EST simplereenroll: the CSR's key, the holder's identity. The CSR's subject (CN and O) must
  // be the certificate's (InvalidCsr otherwise). The CSR's key must be new: the key of the presented
  // certificate or of any predecessor is a Conflict. A repeated request with the key of the
  // existing successor returns that successor; any other request after a renewal is a Conflict.
  CertificateRecord reenroll(const Holder& holder, std::string_view csr_pem_or_der);
  // The serial of the certificate of the holder's lineage (itself or a predecessor) whose key the
  // CSR carries, so EST can say why it refuses (reenroll refuses it too). InvalidCsr when the CSR
  // does not parse.
  std::optional<Serial> reused_key(const Holder& holder, std::string_view csr_pem_or_der) const;

  // The successor's p12 (optionally re-wrapped) and its download file stem; NotFound unless
  // `serial` is the holder's successor.
  Bytes successor_p12(const Holder& holder, const Serial& serial, std::optional<P12Profile> profile);
  std::string successor_file_stem(const Holder& holder, const Serial& serial);

  // The PKCS#12 profile the holder's certificate was delivered in; nullopt when it was signed
  // from a CSR (no p12). A renewal keeps it unless the user picks the other one.
  std::optional<P12Profile> delivered_profile(const Holder& holder) const;

 private:
  std::optional<Serial> lineage_key_owner(const Holder& holder, const Bytes& public_key_der) const;
  void require_renewable(const Holder& holder) const;
  const CertificateRecord& require_successor(const Holder& holder, const Serial& serial) const;

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
};

}  // namespace inkan::service
