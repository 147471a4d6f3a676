#include "ca/service/data_dir.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "ca/domain/error.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"

namespace inkan::service {

std::filesystem::path database_path(const std::filesystem::path& dir) { return dir / "inkan.db"; }

std::unique_ptr<Store> open_or_create_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(ErrorCode::Io, "cannot create data directory " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  } else if (!std::filesystem::is_directory(dir, ec)) {
    throw Error(ErrorCode::Io, dir.string() + " exists and is not a directory");
  }
  return open_sqlite_store(database_path(dir));
}

namespace {

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

}  // namespace

std::unique_ptr<Store> open_data_dir(const std::filesystem::path& dir) {
  const auto db = database_path(dir);
  if (::access(db.c_str(), F_OK) != 0) {
    if (errno == EACCES) refuse_permission(dir, dir);
    throw Error(ErrorCode::InvalidState,
                "no inkan data directory at " + dir.string() + ": run `inkan init` or pass --dir");
  }
  if (::access(db.c_str(), R_OK | W_OK) != 0 && errno == EACCES) refuse_permission(dir, db);
  return open_sqlite_store(db);
}

}  // namespace inkan::service
