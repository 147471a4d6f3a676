#pragma once
// manifest.json of a backup archive: what was copied, when, by which inkan, with checksums and
// the counts restore checks the database against.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/time.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

inline constexpr std::string_view kBackupFormat = "inkan-backup";
inline constexpr int kBackupFormatVersion = 1;
inline constexpr std::string_view kBackupManifestName = "manifest.json";
inline constexpr std::string_view kBackupDatabaseName = "inkan.db";

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
