#pragma once
// Files that hold keys or passwords: created 0600 with O_EXCL|O_NOFOLLOW, checked on the descriptor
// (ours, one link), written fully, fsynced.
#include <filesystem>
#include <string_view>

namespace inkan::service {

// Throws Error(AlreadyExists) if the file exists, Error(Io) naming the path on any failure
// (a partly written file is removed).
void write_secret_file(const std::filesystem::path& path, std::string_view content);

}  // namespace inkan::service
