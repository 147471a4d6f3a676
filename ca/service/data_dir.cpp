#include "ca/service/data_dir.hpp"

#include <sys/stat.h>

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

std::unique_ptr<Store> open_data_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(database_path(dir), ec))
    throw Error(ErrorCode::InvalidState,
                "no inkan data directory at " + dir.string() + ": run `inkan init` or pass --dir");
  return open_sqlite_store(database_path(dir));
}

}  // namespace inkan::service
