#include "ca/service/backup/backup.hpp"

#include <sys/stat.h>

#include <fstream>
#include <vector>

#include "ca/crypto/sha256_stream.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/backup/backup_archive.hpp"
#include "ca/service/files/private_paths.hpp"
#include "ca/service/files/staging.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"

#ifndef INKAN_VERSION
#error "INKAN_VERSION is defined by ca/service/CMakeLists.txt"
#endif

namespace inkan::service {
namespace {

BackupFileEntry describe_file(const std::filesystem::path& file, const std::string& name) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, "cannot read " + file.string());
  crypto::Sha256Stream hash;
  std::vector<char> buf(1 << 20);
  std::uint64_t size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = in.gcount();
    if (n <= 0) break;
    hash.update(buf.data(), static_cast<std::size_t>(n));
    size += static_cast<std::uint64_t>(n);
  }
  if (in.bad()) throw Error(ErrorCode::Io, "cannot read " + file.string());
  return {name, size, hash.final_hex()};
}

void refuse_existing(const std::filesystem::path& out) {
  std::error_code ec;
  if (std::filesystem::symlink_status(out, ec).type() != std::filesystem::file_type::not_found)
    throw Error(ErrorCode::AlreadyExists, out.string() + " already exists; refusing to overwrite it");
  const auto dir = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
  // A missing directory is made 0700, as every --out of the CLI does (issue 16 item 13).
  if (std::filesystem::symlink_status(dir, ec).type() == std::filesystem::file_type::not_found) make_private_dir(dir);
  // The staging directory is made there: nobody else may be able to rename it away and put their
  // own in its place.
  require_safe_parent_dir(dir);
}

}  // namespace

std::string_view inkan_version() { return INKAN_VERSION; }

namespace {

// Takes the snapshot into the file it is given (which does not exist yet), reporting pages.
using SnapshotInto = std::function<void(const std::filesystem::path& db, const SnapshotProgress& progress)>;

// `key`: the unlocked data key, which authenticates the manifest (manifest.mac); null for the
// pre-migration backup, taken before any passphrase is known (restore then needs
// --accept-unauthenticated).
BackupManifest write_backup(const SnapshotInto& snapshot, const crypto::DataKey* key, const std::filesystem::path& out,
                            const Clock& clock, const BackupProgress& progress) {
  refuse_existing(out);
  const auto dir = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
  StagingDir staging(dir, "inkan-backup");
  const auto db = staging.path() / kBackupDatabaseName;

  BackupManifest m;
  m.created_at = clock.now();
  snapshot(db, [&](std::int64_t done, std::int64_t total) {
    if (progress) progress(BackupPhase::Snapshot, done, total);
  });
  // Checks the copy as restore will, so a damaged source fails here rather than at restore.
  m.content = inspect_database_file(db);
  m.inkan_version = std::string(inkan_version());
  m.files.push_back(describe_file(db, std::string(kBackupDatabaseName)));

  const auto manifest = staging.path() / kBackupManifestName;
  const auto manifest_json = to_json(m);
  {
    std::ofstream f(manifest, std::ios::binary);
    f << manifest_json;
    if (!f.flush()) throw Error(ErrorCode::Io, "cannot write " + manifest.string());
  }
  // The manifest goes first: a reader learns what to expect before the large member.
  std::vector<ArchiveMember> members{{std::string(kBackupManifestName), manifest}};
  if (key) {
    const auto mac = staging.path() / kBackupMacName;
    std::ofstream f(mac, std::ios::binary);
    f << backup_mac_text(*key, manifest_json);
    if (!f.flush()) throw Error(ErrorCode::Io, "cannot write " + mac.string());
    members.push_back({std::string(kBackupMacName), mac});
  }
  members.push_back({std::string(kBackupDatabaseName), db});
  const auto archive = staging.path() / "backup.zip";
  write_backup_archive(archive, members,
                       [&](double fraction) {
                         if (progress) progress(BackupPhase::Archive, static_cast<std::int64_t>(fraction * 1000), 1000);
                       });
  // Inside the 0700 staging directory nobody could open it; tighten before it becomes visible.
  if (::chmod(archive.c_str(), 0600) != 0) throw Error(ErrorCode::Io, "cannot restrict " + archive.string());
  sync_path(archive);
  rename_no_replace(archive, out);
  sync_path(dir);
  return m;
}

}  // namespace

BackupManifest create_backup(Store& store, const crypto::DataKey& key, const std::filesystem::path& out,
                             const Clock& clock, const BackupProgress& progress) {
  return write_backup([&](const std::filesystem::path& db, const SnapshotProgress& p) { store.snapshot_to(db, p); },
                      &key, out, clock, progress);
}

BackupManifest create_backup_of_database_file(const std::filesystem::path& db_file,
                                              const std::filesystem::path& out, const Clock& clock,
                                              const BackupProgress& progress) {
  return write_backup([&](const std::filesystem::path& db, const SnapshotProgress& p) {
                        snapshot_database_file(db_file, db, p);
                      },
                      nullptr, out, clock, progress);
}

}  // namespace inkan::service
