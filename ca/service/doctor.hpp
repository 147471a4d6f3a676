#pragma once
// Health checks an operator runs after a crash, a restore or on a schedule.
#include <filesystem>
#include <string>
#include <vector>

#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

enum class Severity { Ok, Warning, Problem };

struct Finding {
  Severity severity = Severity::Ok;
  // "database", "audit", "reservations", "ca-expiry", "lineage", "batch", "upgrade-backup", "token"
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
};

DoctorReport run_doctor(Store& store, const Clock& clock, const DoctorOptions& options, const Actor& actor);

}  // namespace inkan::service
