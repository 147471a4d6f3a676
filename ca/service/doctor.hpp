#pragma once
// Health checks an operator runs after a crash, a restore or on a schedule.
#include <filesystem>
#include <string>
#include <vector>

#include "ca/crypto/secrets/sealing.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

enum class Severity { Ok, Warning, Problem };

struct Finding {
  Severity severity = Severity::Ok;
  // "database", "audit", "reservations", "ca-expiry", "lineage", "batch", "upgrade-backup", "token",
  // "security-tables", "admin-certificates"
  std::string check;
  std::string message;
};

struct DoctorReport {
  std::vector<Finding> findings;
  bool healthy() const;  // no Problem (warnings allowed)
};

struct DoctorOptions {
  // Reservations are left by an issuance that crashed between reserving and committing; none
  // of them was ever signed and delivered, so clearing them loses nothing.
  bool clear_reservations = false;
  // When set, the newest backup written before a schema migration there is named (data_dir.hpp).
  std::filesystem::path data_dir;
  // For CA keys on a PKCS#11 token: the token is reached and logged in with this PIN, and the
  // key's public half must be the CA certificate's. Unset: those CAs are reported unchecked.
  Keyring::TokenPinSource token_pin;
  // The unlocked data key, when doctor was given the passphrase: the keyed digest of the security
  // tables is checked only with it (security_digest.hpp).
  const crypto::DataKey* data_key = nullptr;
  // A passphrase was given but did not unlock the data key (e.g. an old one after a change): the
  // digest is not checked, and doctor says why.
  bool passphrase_refused = false;
  // Record the security tables as they are now (needs data_key): after an upgrade from before
  // schema 11, or after an operator has checked a reported change. Audited as integrity.reseal.
  bool reseal = false;
};

DoctorReport run_doctor(Store& store, const Clock& clock, const DoctorOptions& options, const Actor& actor);

}  // namespace inkan::service
