#include "cli/files.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ca/domain/error.hpp"
#include "ca/service/secret_file.hpp"

namespace inkan::cli {
namespace fs = std::filesystem;

void ensure_writable_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) throw Error(ErrorCode::Io, "cannot create output directory " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  }
  if (!fs::is_directory(dir, ec)) throw Error(ErrorCode::Io, "output path " + dir.string() + " is not a directory");
  auto probe = dir / ".inkan-write-probe";
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    throw Error(ErrorCode::Io, "output directory " + dir.string() + " is not writable: " + std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
}

void ensure_creatable_file(const fs::path& file) {
  std::error_code ec;
  if (fs::exists(file, ec)) throw Error(ErrorCode::AlreadyExists, "refusing to overwrite " + file.string());
  auto dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) throw Error(ErrorCode::Io, "directory " + dir.string() + " does not exist");
  if (::access(dir.c_str(), W_OK) != 0)
    throw Error(ErrorCode::Io, "directory " + dir.string() + " is not writable: " + std::strerror(errno));
}

void write_private_file(const fs::path& file, std::string_view content) {
  service::write_secret_file(file, content);
}

void write_private_file(const fs::path& file, const Bytes& content) {
  service::write_secret_file(file, std::string_view(reinterpret_cast<const char*>(content.data()), content.size()));
}

void write_public_file(const fs::path& file, std::string_view content) {
  auto tmp = file;
  tmp += ".tmp";
  fs::remove(tmp);
  service::write_secret_file(tmp, content);
  ::chmod(tmp.c_str(), 0644);
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp);
    throw Error(ErrorCode::Io, "cannot write " + file.string() + ": " + ec.message());
  }
}

}  // namespace inkan::cli
