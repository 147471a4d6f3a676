#include "ca/service/batch/batch_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ca/crypto/sha256_stream.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/files/private_paths.hpp"
#include "ca/service/files/secret_file.hpp"

namespace inkan::service {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void io_error(const std::string& what, const fs::path& p, int err) {
  throw Error(ErrorCode::Io, "cannot " + what + " " + p.string() + ": " + std::strerror(err));
}

// A new partial file: exclusive creation, never O_TRUNC of whatever is there. The directory passed
// require_private_dir, so an existing partial is a leftover of our own killed run: removed once.
// Should it be back at once (someone else can write here after all), the second O_EXCL fails.
int open_partial(const fs::path& tmp) {
  try {
    return create_private_file(tmp);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::AlreadyExists) throw;
  }
  ::unlink(tmp.c_str());
  return create_private_file(tmp);
}

}  // namespace

fs::path partial_path(const fs::path& final) {
  return final.parent_path() / ("." + final.filename().string() + ".partial");
}

fs::path write_partial(const fs::path& final, std::string_view content, FileSync sync) {
  const auto tmp = partial_path(final);
  finish_secret_file(open_partial(tmp), tmp, content, sync == FileSync::Now);
  return tmp;
}

void publish_partial(const fs::path& partial, const fs::path& final) {
  if (::rename(partial.c_str(), final.c_str()) != 0) io_error("rename into place", final, errno);
}

void write_file_atomically(const fs::path& final, std::string_view content) {
  publish_partial(write_partial(final, content), final);
}

std::optional<std::string> sha256_of_file(const fs::path& file) {
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  crypto::Sha256Stream h;
  char buf[1 << 16];
  for (;;) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    h.update(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return h.final_hex();
}

std::size_t remove_partials(const fs::path& dir) {
  std::size_t removed = 0;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto name = e.path().filename().string();
    if (name.size() > 9 && name.front() == '.' && name.ends_with(".partial") && fs::remove(e.path(), ec)) ++removed;
  }
  return removed;
}

void sync_dir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void sync_filesystem(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) io_error("open", dir, errno);
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) io_error("sync the file system of", dir, err);
}

PartialFile::PartialFile(const fs::path& final) : final_(final), partial_(partial_path(final)) {
  fd_ = open_partial(partial_);
}

PartialFile::PartialFile(PartialFile&& o) noexcept : final_(std::move(o.final_)), partial_(std::move(o.partial_)), fd_(o.fd_) {
  o.fd_ = -1;
}

PartialFile::~PartialFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(partial_.c_str());
  }
}

void PartialFile::write(std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) io_error("write", partial_, errno);
    done += static_cast<std::size_t>(n);
  }
}

void PartialFile::publish() {
  if (::fsync(fd_) != 0) io_error("write", partial_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) io_error("write", partial_, errno);
  publish_partial(partial_, final_);
}

OutputDirLock::OutputDirLock(const fs::path& dir) {
  const auto path = dir / ".inkan-batch.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd_ < 0) io_error("open", path, errno);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw Error(ErrorCode::Conflict, "another inkan batch is writing to " + dir.string() + "; wait for it to finish");
  }
}

OutputDirLock::~OutputDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace inkan::service
