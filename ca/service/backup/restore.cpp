// inkan restore: everything is checked in a private directory beside NEWDIR, which appears
// (by one rename) only when the whole backup has been verified.
#include <cstdio>
#include <set>

#include "ca/domain/error.hpp"
#include "ca/service/backup/backup.hpp"
#include "ca/service/backup/backup_archive.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/service/files/staging.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"

namespace inkan::service {
namespace {

constexpr std::size_t kMaxManifestSize = 1 << 20;

std::filesystem::path parent_of(const std::filesystem::path& dir) {
  const auto p = std::filesystem::absolute(dir).lexically_normal();
  // "a/b/" normalises to "a/b/" with an empty filename: step over it.
  return p.has_filename() ? p.parent_path() : p.parent_path().parent_path();
}

// NEWDIR may be absent or an empty directory; returns whether it exists.
bool check_target(const std::filesystem::path& new_dir) {
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(new_dir, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    if (!std::filesystem::is_directory(parent_of(new_dir), ec))
      throw Error(ErrorCode::NotFound, "cannot restore into " + new_dir.string() + ": its parent directory does not exist");
    return false;
  }
  if (status.type() != std::filesystem::file_type::directory)
    throw Error(ErrorCode::AlreadyExists, new_dir.string() + " exists and is not a directory");
  if (std::filesystem::directory_iterator(new_dir, ec) != std::filesystem::directory_iterator())
    throw Error(ErrorCode::AlreadyExists, new_dir.string() + " is not empty; restore needs a new or empty directory");
  if (ec) throw Error(ErrorCode::Io, "cannot read " + new_dir.string() + ": " + ec.message());
  return true;
}

// The archive holds the manifest and exactly the files it lists, all of them ones we know.
void check_members(const BackupArchiveReader& archive, const BackupManifest& m) {
  std::set<std::string> expected{std::string(kBackupManifestName)};
  for (const auto& f : m.files) {
    if (f.name != kBackupDatabaseName)
      throw Error(ErrorCode::Integrity, "backup manifest lists an unknown file '" + f.name + "'");
    if (!expected.insert(f.name).second)
      throw Error(ErrorCode::Integrity, "backup manifest lists '" + f.name + "' twice");
  }
  if (!expected.count(std::string(kBackupDatabaseName)))
    throw Error(ErrorCode::Integrity, "backup manifest lists no " + std::string(kBackupDatabaseName));
  const auto names = archive.names();
  for (const auto& name : names)
    if (!expected.count(name) && name != kBackupMacName)
      throw Error(ErrorCode::Integrity, "backup holds an unexpected member '" + name + "'");
  for (const auto& name : expected)
    if (!archive.contains(name))
      throw Error(ErrorCode::Integrity, "backup is truncated or damaged: " + name + " is missing");
}

void compare(const char* what, std::int64_t found, std::int64_t recorded) {
  if (found != recorded)
    throw Error(ErrorCode::Integrity, std::string(kBackupDatabaseName) + " does not match the manifest: " + what +
                                          " " + std::to_string(found) + ", manifest says " + std::to_string(recorded));
}

void check_content(const StoreSummary& found, const StoreSummary& recorded) {
  compare("schema version", found.schema_version, recorded.schema_version);
  compare("certificates", found.certificates, recorded.certificates);
  compare("tenants", found.tenants, recorded.tenants);
  compare("CAs", found.cas, recorded.cas);
  compare("audit entries", found.audit_entries, recorded.audit_entries);
  if (found.audit_head_hash != recorded.audit_head_hash)
    throw Error(ErrorCode::Integrity, std::string(kBackupDatabaseName) +
                                          " does not match the manifest: the newest audit entry differs");
}

// Opens the extracted copy as a data directory (applying the migrations an older backup
// lacks), verifies the audit chain and, with a passphrase, unlocks it; then records the restore.
// Issue 14 item 5: a manifest recomputed after editing the database (an operator made of a tenant
// administrator) restored as "verified". The MAC is checked under the data key that the operator's
// passphrase unwraps from the backup's own database: nobody without the passphrase can make one.
bool check_mac(const Keyring& keyring, const std::string& manifest_json, const std::optional<std::string>& mac_text,
               const RestoreOptions& o) {
  if (!mac_text) {
    if (o.accept_unauthenticated) return false;
    throw Error(ErrorCode::Integrity, "the backup has no manifest.mac, so nothing proves who made it (backups made "
                                      "before this version); restore it only if you trust the file, with "
                                      "--accept-unauthenticated");
  }
  const auto expected = backup_mac_text(keyring.data_key(), manifest_json);
  if (!crypto::constant_time_equal(expected, *mac_text))
    throw Error(ErrorCode::Integrity, "the backup's manifest.mac does not match: the backup was altered after it was "
                                      "made (or made for another store); nothing was restored");
  return true;
}

bool check_store(const std::filesystem::path& dir, const BackupManifest& m, const RestoreOptions& o,
                 const Clock& clock, const Actor& actor, const std::string& manifest_json,
                 const std::optional<std::string>& mac_text, bool& authenticated) {
  // The backup being restored is the copy: no second one before migrating an older schema.
  auto store = open_data_dir(dir, {.backup_before_migration = false, .on_backup = {}});
  const auto chain = store->audit().verify();
  if (!chain.ok)
    throw Error(ErrorCode::Integrity, "the audit chain in the backup is broken" +
                                          (chain.first_bad_seq ? " at entry " + std::to_string(*chain.first_bad_seq) : "") +
                                          (chain.problem.empty() ? "" : ": " + chain.problem));
  if (!o.passphrase) {
    // Only an unauthenticated backup that the operator explicitly accepted restores without it.
    if (mac_text || !o.accept_unauthenticated)
      throw Error(ErrorCode::InvalidArgument, "restore needs the passphrase (--passphrase-file or INKAN_PASSPHRASE_FILE): "
                                              "it unlocks the backed-up store and authenticates the backup");
  } else {
    try {
      auto keyring = Keyring::unlock(*store, *o.passphrase);
      keyring.issuing_ca(*store);  // the CA key decrypts too, not only the data key
      authenticated = check_mac(keyring, manifest_json, mac_text, o);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::WrongPassphrase) throw;
      throw Error(ErrorCode::WrongPassphrase, "the passphrase does not unlock the backed-up store (a backup keeps the passphrase it was taken under); nothing was restored");
    }
  }
  auto tx = store->begin();
  record(*store, clock, actor, "store.restore", "backup:" + format_rfc3339(m.created_at),
         "restored a backup made by inkan " + m.inkan_version);
  tx->commit();
  return o.passphrase.has_value();
}

}  // namespace

RestoreResult restore_backup(const std::filesystem::path& backup, const std::filesystem::path& new_dir,
                             const RestoreOptions& options, const Clock& clock, const Actor& actor) {
  const bool target_exists = check_target(new_dir);
  BackupArchiveReader archive(backup);
  if (!archive.contains(std::string(kBackupManifestName)))
    throw Error(ErrorCode::InvalidArgument, "not an inkan backup: " + backup.string() + " has no manifest.json");
  RestoreResult result;
  const auto manifest_json = archive.read_small(std::string(kBackupManifestName), kMaxManifestSize);
  result.manifest = parse_backup_manifest(manifest_json);
  check_members(archive, result.manifest);
  std::optional<std::string> mac_text;
  if (archive.contains(std::string(kBackupMacName))) mac_text = archive.read_small(std::string(kBackupMacName), 256);

  StagingDir staging(parent_of(new_dir), "inkan-restore");
  for (const auto& f : result.manifest.files) archive.extract_verified(f, staging.path() / f.name);
  const auto db = staging.path() / kBackupDatabaseName;
  check_content(inspect_database_file(db), result.manifest.content);
  result.passphrase_checked =
      check_store(staging.path(), result.manifest, options, clock, actor, manifest_json, mac_text, result.authenticated);
  sync_path(db);

  // An empty NEWDIR is replaced by the staging directory (rename refuses if it filled up
  // meanwhile); an absent one is created by the same rename.
  if (target_exists) {
    if (std::rename(staging.path().c_str(), new_dir.c_str()) != 0)
      throw Error(ErrorCode::AlreadyExists, "cannot restore into " + new_dir.string() + ": it is no longer empty");
  } else {
    rename_no_replace(staging.path(), new_dir);
  }
  staging.release();
  sync_path(parent_of(new_dir));
  return result;
}

}  // namespace inkan::service
