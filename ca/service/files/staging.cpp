#include "ca/service/files/staging.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ca/domain/error.hpp"

namespace inkan::service {

StagingDir::StagingDir(const std::filesystem::path& parent, std::string_view prefix) {
  std::string pattern = (parent / ("." + std::string(prefix) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)  // mkdtemp creates it 0700
    throw Error(ErrorCode::Io, "cannot create a working directory in " + parent.string() + ": " +
                                   std::strerror(errno));
  path_ = pattern;
}

StagingDir::~StagingDir() {
  if (released_) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void sync_path(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::Io, "cannot open " + path.string() + ": " + std::strerror(errno));
  const bool ok = ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) throw Error(ErrorCode::Io, "cannot sync " + path.string() + ": " + std::strerror(err));
}

void rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return;
  int err = errno;
  // Some file systems lack RENAME_NOREPLACE; link() also refuses an existing target.
  if (err == EINVAL || err == ENOSYS) {
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      return;
    }
    err = errno;
  }
  if (err == EEXIST)
    throw Error(ErrorCode::AlreadyExists, to.string() + " already exists; refusing to overwrite it");
  throw Error(ErrorCode::Io, "cannot move into " + to.string() + ": " + std::strerror(err));
}

}  // namespace inkan::service
