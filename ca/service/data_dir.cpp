#include "ca/service/data_dir.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "ca/domain/error.hpp"
#include "ca/domain/time.hpp"
#include "ca/service/backup/backup.hpp"
#include "ca/service/shared_store.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"

namespace inkan::service {
namespace {

constexpr std::string_view kBackupPrefix = "inkan.db.pre-migration-";
constexpr std::string_view kBackupSuffix = ".inkanbak";

// 2026-12-07T19:05:12Z -> 20261207T190512Z: sortable, and no ':' in a file name.
std::string compact_time(Timestamp t) {
  std::string out;
  for (const char c : format_rfc3339(t))
    if (c != '-' && c != ':') out += c;
  return out;
}

// Writes the backup beside the database before its migration. Two processes upgrading at the
// same second do not collide: the second one gets "-2".
PreMigrationBackup back_up_before_migration(const std::filesystem::path& dir, const SchemaVersions& v) {
  const SystemClock clock;
  const std::string stem = std::string(kBackupPrefix) + "v" + std::to_string(v.database) + "-to-v" +
                           std::to_string(v.program) + "-" + compact_time(clock.now());
  for (int attempt = 1;; ++attempt) {
    const auto file = dir / (stem + (attempt == 1 ? "" : "-" + std::to_string(attempt)) + std::string(kBackupSuffix));
    try {
      create_backup_of_database_file(database_path(dir), file, clock);
      return {file, v.database, v.program};
    } catch (const Error& e) {
      if (e.code() != ErrorCode::AlreadyExists || attempt >= 100) throw;
    }
  }
}

std::string owner_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  if (const passwd* pw = ::getpwuid(st.st_uid)) return pw->pw_name;
  return "uid " + std::to_string(st.st_uid);
}

// A data directory this user may not enter or whose database it may not open is not a missing
// one: saying "run inkan init" there invites a second CA (issue 16, item 7).
[[noreturn]] void refuse_permission(const std::filesystem::path& dir, const std::filesystem::path& denied) {
  std::string owner = owner_of(dir);
  if (owner.empty())
    throw Error(ErrorCode::Io, "permission denied on " + denied.string() + ": the data directory " + dir.string() +
                                   " (or a folder above it) is closed to this user; run inkan as its owner");
  throw Error(ErrorCode::Io, "permission denied on " + denied.string() + ": the data directory " + dir.string() +
                                 " belongs to " + owner + "; run inkan as that user (e.g. `sudo -u " + owner +
                                 " inkan ...`)");
}

std::unique_ptr<Store> open_existing(const std::filesystem::path& dir, const OpenOptions& options) {
  if (!options.database_uri.empty()) return open_shared_store(options.database_uri);
  const auto db = database_path(dir);
  const SchemaVersions v = read_schema_versions(db);
  if (v.database > v.program)
    throw Error(ErrorCode::InvalidState,
                db.string() + " has schema version " + std::to_string(v.database) + ", newer than inkan " +
                    std::string(inkan_version()) + " knows (up to " + std::to_string(v.program) +
                    "): a newer inkan wrote it. Use that inkan version or a newer one; nothing was changed");
  // 0 is a new or empty file: nothing to keep.
  if (options.backup_before_migration && v.database > 0 && v.database < v.program) {
    const auto backup = back_up_before_migration(dir, v);
    if (options.on_backup) options.on_backup(backup);
  }
  return open_sqlite_store(db);
}

}  // namespace

std::filesystem::path database_path(const std::filesystem::path& dir) { return dir / "inkan.db"; }

std::unique_ptr<Store> open_or_create_data_dir(const std::filesystem::path& dir, const OpenOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(ErrorCode::Io, "cannot create data directory " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  } else if (!std::filesystem::is_directory(dir, ec)) {
    throw Error(ErrorCode::Io, dir.string() + " exists and is not a directory");
  }
  return open_existing(dir, options);
}

std::unique_ptr<Store> open_data_dir(const std::filesystem::path& dir, const OpenOptions& options) {
  // With a shared database the directory may be empty: a second node starts from nothing.
  if (!options.database_uri.empty()) return open_or_create_data_dir(dir, options);
  const auto db = database_path(dir);
  if (::access(db.c_str(), F_OK) != 0) {
    if (errno == EACCES) refuse_permission(dir, dir);
    throw Error(ErrorCode::InvalidState,
                "no inkan data directory at " + dir.string() + ": run `inkan init` or pass --dir");
  }
  if (::access(db.c_str(), R_OK | W_OK) != 0 && errno == EACCES) refuse_permission(dir, db);
  return open_existing(dir, options);
}

std::optional<std::filesystem::path> newest_pre_migration_backup(const std::filesystem::path& dir) {
  std::optional<std::filesystem::path> newest;
  std::filesystem::file_time_type newest_time{};
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kBackupPrefix) || !name.ends_with(kBackupSuffix)) continue;
    const auto t = entry.last_write_time(ec);
    if (ec) continue;
    if (!newest || t > newest_time) {
      newest = entry.path();
      newest_time = t;
    }
  }
  return newest;
}

}  // namespace inkan::service
