#pragma once
// A zip written straight to a file, its members read from disk only while the archive is
// closed: memory stays flat however many p12s a tenant has (zip_archive.hpp builds in memory).
#include <filesystem>
#include <string>
#include <vector>

#include "ca/domain/records.hpp"

namespace inkan::service {

class ZipFileWriter {
 public:
  explicit ZipFileWriter(const std::filesystem::path& target);  // created or truncated
  ZipFileWriter(const ZipFileWriter&) = delete;
  ZipFileWriter& operator=(const ZipFileWriter&) = delete;
  ~ZipFileWriter();  // discards an archive that was not closed

  // Stored, not deflated: the members read from files are PKCS#12s, encrypted and so
  // incompressible (deflate saved 1 % of a p12 for ~0.5 M instructions and a 256 KiB zlib state
  // set up per member).
  void add_file(const std::string& name, const std::filesystem::path& source);
  void add_bytes(const std::string& name, std::string content);
  void close();  // writes the archive; Error(Io) naming the target

 private:
  std::filesystem::path target_;
  void* archive_ = nullptr;           // zip_t*
  std::vector<std::string> buffers_;  // kept alive until close(): libzip reads them then
};

}  // namespace inkan::service
