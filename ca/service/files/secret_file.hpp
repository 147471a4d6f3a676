#pragma once
// Files that hold keys or passwords: created 0600 with O_EXCL|O_NOFOLLOW, checked on the descriptor
// (ours, one link), written fully, fsynced.
#include <filesystem>
#include <string_view>

namespace inkan::service {

// Throws Error(AlreadyExists) if the file exists, Error(Io) naming the path on any failure
// (a partly written file is removed).
void write_secret_file(const std::filesystem::path& path, std::string_view content);

// The rest of write_secret_file, for a caller that created the file itself (create_private_file,
// or the batch's partials): writes all of `content` to `fd`, fsyncs it when `fsync` is set, and
// closes it. On any failure the file is closed and removed, and Error(Io) names `path`.
void finish_secret_file(int fd, const std::filesystem::path& path, std::string_view content, bool fsync);

}  // namespace inkan::service
