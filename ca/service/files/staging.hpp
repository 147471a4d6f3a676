#pragma once
// A private working directory for files that must appear complete or not at all: build inside
// it, then move the result into place with one rename.
#include <filesystem>
#include <string_view>

namespace inkan::service {

class StagingDir {
 public:
  // mkdtemp "<parent>/.<prefix>-XXXXXX", mode 0700: nobody else can read or race us inside.
  // Same file system as the final place, so the last step is an atomic rename.
  StagingDir(const std::filesystem::path& parent, std::string_view prefix);
  ~StagingDir();  // removes whatever is still inside
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // After the directory itself was renamed into place: nothing left to clean up.
  void release() { released_ = true; }

 private:
  std::filesystem::path path_;
  bool released_ = false;
};

// fsync a file or a directory (a rename is durable only once its directory is synced).
void sync_path(const std::filesystem::path& path);

// Renames `from` to `to` unless `to` exists: Error(AlreadyExists) naming `to`.
void rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace inkan::service
