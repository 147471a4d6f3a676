#pragma once
// Files of a batch output directory. Every file is written to a hidden temporary name and
// renamed, so a file under its final name is always complete after a crash of the process;
// leftovers of a killed run are the temporaries, which the next run removes. Against a power
// loss, the p12s of the issuing pipeline are not fsynced one by one (FileSync::Deferred): the
// store holds every p12, the output pass of every run re-hashes each file against it and
// rewrites what is missing or differs, and one sync_filesystem() makes them durable before the
// job is marked complete.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/records.hpp"
#include "ca/service/files/private_paths.hpp"

namespace inkan::service {

// DIR/.NAME.partial: where `final` is written before it is renamed into place.
std::filesystem::path partial_path(const std::filesystem::path& final);

enum class FileSync {
  Now,       // fsync before returning
  Deferred,  // the caller makes it durable later (sync_filesystem) or can rewrite it from the store
};

// Writes `content` to partial_path(final), created exclusively (0600, ours, one link; a leftover
// partial is removed first, never truncated and reused). Returns that path.
std::filesystem::path write_partial(const std::filesystem::path& final, std::string_view content,
                                    FileSync sync = FileSync::Now);
// Renames a partial file into place (atomic on POSIX).
void publish_partial(const std::filesystem::path& partial, const std::filesystem::path& final);
// write_partial + publish_partial.
void write_file_atomically(const std::filesystem::path& final, std::string_view content);
inline void write_file_atomically(const std::filesystem::path& final, const Bytes& content) {
  write_file_atomically(final, std::string_view(reinterpret_cast<const char*>(content.data()), content.size()));
}

// Lowercase hex SHA-256 of a file, read in chunks; nullopt when it cannot be read.
std::optional<std::string> sha256_of_file(const std::filesystem::path& file);

// Removes DIR/.*.partial left by a killed run; returns how many.
std::size_t remove_partials(const std::filesystem::path& dir);
// make_private_dir (files/private_paths.hpp): DIR and each DIR/<tenant> are created 0700 and must
// be the operator's own and writable by nobody else, checked on every run.
// fsync of a directory, so the renames in it survive a power loss.
void sync_dir(const std::filesystem::path& dir);
// syncfs(2) of the file system holding `dir`: every write of FileSync::Deferred files (and their
// renames) reaches the disk, at the price of one call instead of one fsync per file.
void sync_filesystem(const std::filesystem::path& dir);

// The items (by seq) whose p12 this run renamed into place from the bytes it had just committed
// to the store: the output pass need not read those files back (write_batch_outputs).
class WrittenThisRun {
 public:
  void add(std::int64_t seq) {
    if (seq < 0) return;
    const auto i = static_cast<std::size_t>(seq);
    if (i >= seqs_.size()) seqs_.resize(std::max(i + 1, seqs_.size() * 2));
    seqs_[i] = true;
  }
  bool contains(std::int64_t seq) const {
    return seq >= 0 && static_cast<std::size_t>(seq) < seqs_.size() && seqs_[static_cast<std::size_t>(seq)];
  }

 private:
  std::vector<bool> seqs_;  // one bit per seq (a CSV line number or 1..n): flat whatever the batch
};

// A file written in pieces (passwords.csv, manifest.json) to its partial path, 0600, and
// renamed into place by publish(). Destroyed unpublished, the partial is removed.
class PartialFile {
 public:
  explicit PartialFile(const std::filesystem::path& final);
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  PartialFile(PartialFile&& other) noexcept;
  ~PartialFile();
  void write(std::string_view text);
  void publish();  // fsync, close, rename

 private:
  std::filesystem::path final_, partial_;
  int fd_ = -1;
};

// An exclusive lock on DIR/.inkan-batch.lock for the life of the object: two runs of one job
// never work at once. The kernel drops it when the process dies (kill -9 included).
class OutputDirLock {
 public:
  explicit OutputDirLock(const std::filesystem::path& dir);  // Error(Conflict) when held
  OutputDirLock(const OutputDirLock&) = delete;
  OutputDirLock& operator=(const OutputDirLock&) = delete;
  ~OutputDirLock();

 private:
  int fd_ = -1;
};

}  // namespace inkan::service
