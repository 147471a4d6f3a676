#pragma once
// The backup container: a zip file (libzip) written member by member from files on disk, and
// read back member by member with size and SHA-256 checks, so a database of any size streams
// through without being held in memory.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ca/service/backup/backup_manifest.hpp"

struct zip;

namespace inkan::service {

struct ArchiveMember {
  std::string name;
  std::filesystem::path source;  // the file to store under `name`
};

// Creates `archive` (Error(AlreadyExists) if present) with the members; `progress` receives
// the fraction done (0..1) while libzip compresses and writes.
void write_backup_archive(const std::filesystem::path& archive, const std::vector<ArchiveMember>& members,
                          const std::function<void(double)>& progress);

class BackupArchiveReader {
 public:
  // Error(InvalidArgument) "not an inkan backup" unless the file is a zip archive at all,
  // Error(Integrity) "truncated or damaged" when it starts like one but does not parse.
  explicit BackupArchiveReader(const std::filesystem::path& archive);
  ~BackupArchiveReader();
  BackupArchiveReader(const BackupArchiveReader&) = delete;
  BackupArchiveReader& operator=(const BackupArchiveReader&) = delete;

  std::vector<std::string> names() const;
  bool contains(const std::string& name) const;
  // A small member read whole; Error(Integrity) when larger than `max_size` or damaged.
  std::string read_small(const std::string& name, std::size_t max_size) const;
  // Streams a member into the new file `target` (0600), hashing as it goes. Error(Integrity)
  // "checksum mismatch" naming the member when the zip CRC, the size or the SHA-256 differ from
  // `expected`.
  void extract_verified(const BackupFileEntry& expected, const std::filesystem::path& target) const;

 private:
  std::filesystem::path path_;
  struct zip* zip_ = nullptr;
};

}  // namespace inkan::service
