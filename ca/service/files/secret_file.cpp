#include "ca/service/files/secret_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "ca/domain/error.hpp"
#include "ca/service/files/private_paths.hpp"

namespace inkan::service {

void write_secret_file(const std::filesystem::path& path, std::string_view content) {
  // O_EXCL|O_NOFOLLOW, then owner and link count checked
  finish_secret_file(create_private_file(path), path, content, true);
}

void finish_secret_file(int fd, const std::filesystem::path& path, std::string_view content, bool fsync) {
  std::size_t done = 0;
  while (done < content.size()) {
    auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(path.c_str());
      throw Error(ErrorCode::Io, "cannot write " + path.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if ((fsync && ::fsync(fd) != 0) || ::close(fd) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    throw Error(ErrorCode::Io, "cannot write " + path.string() + ": " + std::strerror(err));
  }
}

}  // namespace inkan::service
