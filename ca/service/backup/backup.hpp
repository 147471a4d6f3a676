#pragma once
// Backup and restore of a data directory. A backup is one zip file holding a consistent
// snapshot of inkan.db (taken with SQLite's online backup API while others keep writing) and a
// manifest.json with checksums and counts. The keys inside stay encrypted: the file holds no
// plaintext secret. Restore checks everything before the new directory appears.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ca/crypto/secrets/sealing.hpp"
#include "ca/domain/time.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/backup/backup_manifest.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// The inkan release recorded in manifests (the CMake project version).
std::string_view inkan_version();

enum class BackupPhase { Snapshot, Archive, Extract };

// `done` out of `total` units (pages for the snapshot, per mille for the archive).
using BackupProgress = std::function<void(BackupPhase phase, std::int64_t done, std::int64_t total)>;

// Writes the backup to `out`, which must not exist (Error(AlreadyExists)); its directory must.
// The file is built in a private directory beside it and renamed into place at mode 0600, so
// `out` is either complete or absent. The snapshot is integrity-checked before it is archived.
// `key` (the unlocked data key) authenticates the manifest: manifest.mac (backup_manifest.hpp).
BackupManifest create_backup(Store& store, const crypto::DataKey& key, const std::filesystem::path& out,
                             const Clock& clock, const BackupProgress& progress = {});

// The same backup of a database file that is not open as a store, without migrating it: the
// backup written before a schema migration (data_dir.hpp). Same guarantees as create_backup, but
// no manifest.mac: no passphrase is known then, so restore needs --accept-unauthenticated.
BackupManifest create_backup_of_database_file(const std::filesystem::path& db_file,
                                              const std::filesystem::path& out, const Clock& clock,
                                              const BackupProgress& progress = {});

struct RestoreOptions {
  // Needed: the restored store must unlock with it (Error(WrongPassphrase) otherwise), and the
  // data key it unwraps from the backup's own database verifies manifest.mac. Without it restore
  // refuses (Error(InvalidArgument)): an unauthenticated restore could bring back edited tables.
  std::optional<std::string> passphrase;
  // A backup without manifest.mac (made before issue 14, or a pre-migration backup) restores only
  // with this, and then also without a passphrase; a MAC that is present but wrong is refused
  // whatever this says.
  bool accept_unauthenticated = false;
};

struct RestoreResult {
  BackupManifest manifest;
  bool passphrase_checked = false;
  bool authenticated = false;  // manifest.mac verified under the backup's data key
};

// Restores `backup` into `new_dir`, which must be absent or an empty directory
// (Error(AlreadyExists) otherwise). Checked before `new_dir` is touched: the container parses,
// every member matches its size and SHA-256, the database passes the integrity check, has a
// known schema version, matches the manifest's counts and audit head, its audit chain verifies
// and, with a passphrase, unlocks. The work happens in a private directory beside `new_dir`,
// which one rename turns into `new_dir` (0700, database 0600). The restored log records the
// restore.
RestoreResult restore_backup(const std::filesystem::path& backup, const std::filesystem::path& new_dir,
                             const RestoreOptions& options, const Clock& clock, const Actor& actor);

}  // namespace inkan::service
