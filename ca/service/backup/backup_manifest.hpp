#pragma once
// manifest.json of a backup archive: what was copied, when, by which inkan, with checksums and
// the counts restore checks the database against.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ca/crypto/secrets/sealing.hpp"
#include "ca/domain/time.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

inline constexpr std::string_view kBackupFormat = "inkan-backup";
inline constexpr int kBackupFormatVersion = 1;
inline constexpr std::string_view kBackupManifestName = "manifest.json";
inline constexpr std::string_view kBackupDatabaseName = "inkan.db";
// "hmac-sha256 <hex>\n": the DataKey::mac_hex of manifest.json's bytes for kBackupMacPurpose. The
// manifest holds the database's SHA-256, so the MAC covers the database too (issue 14 item 5).
inline constexpr std::string_view kBackupMacName = "manifest.mac";
inline constexpr std::string_view kBackupMacPurpose = "backup manifest v1";

std::string backup_mac_text(const crypto::DataKey& key, std::string_view manifest_json);

struct BackupFileEntry {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

struct BackupManifest {
  int format_version = kBackupFormatVersion;
  Timestamp created_at{};
  std::string inkan_version;
  std::vector<BackupFileEntry> files;
  StoreSummary content;  // schema version, counts, audit head of the database inside
};

std::string to_json(const BackupManifest& m);
// Strict: every field present with its type. Throws Error(InvalidArgument) "not an inkan
// backup" for a foreign JSON, Error(InvalidState) for a newer format version, and
// Error(Integrity) naming the field for anything malformed.
BackupManifest parse_backup_manifest(std::string_view json);

}  // namespace inkan::service
