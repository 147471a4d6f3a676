#pragma once
// Renewal (the holder, inside the window) and reissue (an administrator, any time). Both keep
// the identity — tenant, subject, SAN, kind, key type and p12 profile — with a new key and a
// fresh 3-year validity, and link old -> new. The predecessor stays valid until its notAfter.
// Of concurrent requests for one certificate exactly one creates the successor; the others
// get that same successor (step-ca's renewContext: a policy check, a copy, a recorded link).
#include <chrono>
#include <optional>

#include "ca/service/issuance/issuer.hpp"

namespace inkan::service {

struct RenewOptions {
  bool force = false;  // operator override of the window (never of expiry or revocation)
  std::optional<P12Profile> p12_profile;  // default: the predecessor's
};

struct ReissueOptions {
  bool allow_revoked = false;
  std::optional<P12Profile> p12_profile;
};

struct RenewalResult {
  IssuedCredential credential;  // p12 empty when the successor was signed from a CSR
  bool already_renewed = false; // an existing successor was returned, nothing was issued
};

class Renewer {
 public:
  Renewer(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(actor),
        issuer_(store, keyring, clock, rng, std::move(actor)) {}

  // Refused (with the reason and the dates): outside the window unless forced
  // (PolicyViolation), expired or revoked (InvalidState).
  RenewalResult renew(const Serial& serial, const RenewOptions& options);
  // Any certificate, expired included; a revoked one only with allow_revoked.
  RenewalResult reissue(const Serial& serial, const ReissueOptions& options);

  // The window of a tenant: its override, else the installation default.
  int window_days(const std::string& tenant_id);

  // How long a request waits for a concurrent one that is signing the same successor.
  std::chrono::milliseconds wait_for_concurrent{30'000};

 private:
  enum class Mode { Renew, Reissue };
  RenewalResult succeed(const Serial& serial, Mode mode, bool force, bool allow_revoked,
                        std::optional<P12Profile> profile);
  RenewalResult existing_successor(const Serial& successor);

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
  Issuer issuer_;
};

}  // namespace inkan::service
