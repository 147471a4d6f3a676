#include "ca/service/files/private_paths.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "ca/domain/error.hpp"

namespace inkan::service {
namespace fs = std::filesystem;
namespace {

std::string user_name(uid_t uid) {
  const passwd* pw = ::getpwuid(uid);
  std::string s = "uid " + std::to_string(uid);
  return pw ? s + " (" + pw->pw_name + ")" : s;
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

[[noreturn]] void refuse(const fs::path& p, const std::string& why) {
  throw Error(ErrorCode::Io, "refusing " + p.string() + ": " + why);
}

}  // namespace

void require_private_dir(const fs::path& dir) {
  const auto p = dir.empty() ? fs::path(".") : dir;
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0)
    throw Error(ErrorCode::Io, "cannot inspect directory " + p.string() + ": " + std::strerror(errno));
  if (S_ISLNK(st.st_mode)) refuse(p, "it is a symbolic link; give the real directory");
  if (!S_ISDIR(st.st_mode)) refuse(p, "it is not a directory");
  if (st.st_uid != ::geteuid())
    refuse(p, "it is owned by " + user_name(st.st_uid) + ", not by the account running inkan (" +
                  user_name(::geteuid()) + "); another account could replace the secrets written there");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    refuse(p, "it is writable by other users (mode " + octal_mode(st.st_mode) +
                  "); secrets go only into a directory nobody else can write (chmod go-w)");
}

void make_private_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::symlink_status(dir, ec).type() == fs::file_type::not_found) {
    if (dir.has_parent_path() && !dir.parent_path().empty()) fs::create_directories(dir.parent_path(), ec);
    // mkdir itself with 0700, never a chmod afterwards: the directory is never open to others.
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
      throw Error(ErrorCode::Io, "cannot create directory " + dir.string() + ": " + std::strerror(errno));
  }
  require_private_dir(dir);  // also when someone else created it first
}

void require_safe_parent_dir(const fs::path& dir) {
  const auto p = dir.empty() ? fs::path(".") : dir;
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0)
    throw Error(ErrorCode::Io, "cannot inspect directory " + p.string() + ": " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) refuse(p, "it is not a directory");
  if (st.st_uid != ::geteuid() && st.st_uid != 0)
    refuse(p, "it is owned by " + user_name(st.st_uid) + ", who could replace the file written there");
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0)
    refuse(p, "it is writable by other users without the sticky bit (mode " + octal_mode(st.st_mode) +
                  "), so another account could replace the file written there");
}

void verify_private_file(int fd, const fs::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw Error(ErrorCode::Io, "cannot inspect " + path.string() + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) refuse(path, "it is not a regular file");
  if (st.st_uid != ::geteuid()) refuse(path, "it is owned by " + user_name(st.st_uid));
  if (st.st_nlink != 1) refuse(path, "it has " + std::to_string(st.st_nlink) + " names (hard links)");
  if (::fchmod(fd, 0600) != 0) throw Error(ErrorCode::Io, "cannot restrict " + path.string() + ": " + std::strerror(errno));
}

int create_private_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    throw Error(err == EEXIST ? ErrorCode::AlreadyExists : ErrorCode::Io,
                "cannot create " + path.string() + ": " + std::strerror(err));
  }
  try {
    verify_private_file(fd, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  return fd;
}

void restrict_private_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::Io, "cannot open " + path.string() + ": " + std::strerror(errno));
  try {
    verify_private_file(fd, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

}  // namespace inkan::service
