#include "ca/service/backup/backup_archive.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zip.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "ca/crypto/sha256_stream.hpp"
#include "ca/domain/error.hpp"

namespace inkan::service {
namespace {

constexpr std::size_t kChunk = 1 << 20;

std::string zip_open_error(int code) {
  zip_error_t e;
  zip_error_init_with_code(&e, code);
  std::string msg = zip_error_strerror(&e);
  zip_error_fini(&e);
  return msg;
}

// Zip files start with a local file header ("PK\3\4"), or an end record when empty.
bool looks_like_zip(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  if (!in.read(magic, 4)) return false;
  return magic[0] == 'P' && magic[1] == 'K' &&
         ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
}

[[noreturn]] void damaged(const std::string& member, const std::string& why) {
  throw Error(ErrorCode::Integrity, "checksum mismatch in " + member + ": " + why);
}

struct ZipFile {
  zip_file_t* f;
  ~ZipFile() {
    if (f) zip_fclose(f);
  }
};

void report_progress(zip_t*, double fraction, void* state) {
  (*static_cast<const std::function<void(double)>*>(state))(fraction);
}

class OutFile {
 public:
  explicit OutFile(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd_ < 0) throw Error(ErrorCode::Io, "cannot create " + path.string() + ": " + std::strerror(errno));
  }
  ~OutFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  void write(const char* data, std::size_t size) {
    while (size > 0) {
      const auto n = ::write(fd_, data, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(ErrorCode::Io, "cannot write " + path_.string() + ": " + std::strerror(errno));
      data += n;
      size -= static_cast<std::size_t>(n);
    }
  }
  void sync_and_close() {
    const bool ok = ::fsync(fd_) == 0;
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (!ok) throw Error(ErrorCode::Io, "cannot sync " + path_.string() + ": " + std::strerror(err));
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace

void write_backup_archive(const std::filesystem::path& archive, const std::vector<ArchiveMember>& members,
                          const std::function<void(double)>& progress) {
  int code = 0;
  zip_t* z = zip_open(archive.c_str(), ZIP_CREATE | ZIP_EXCL, &code);
  if (!z)
    throw Error(code == ZIP_ER_EXISTS ? ErrorCode::AlreadyExists : ErrorCode::Io,
                "cannot create " + archive.string() + ": " + zip_open_error(code));
  auto fail = [&](const std::string& what) {
    const std::string msg = zip_strerror(z);
    zip_discard(z);
    throw Error(ErrorCode::Io, "cannot write backup " + archive.string() + ": " + what + ": " + msg);
  };
  for (const auto& m : members) {
    zip_source_t* src = zip_source_file(z, m.source.c_str(), 0, -1);
    if (!src) fail(m.name);
    const zip_int64_t index = zip_file_add(z, m.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      fail(m.name);
    }
    // Level 1: most of the database is already-encrypted blobs; speed matters more.
    if (zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 1) < 0) fail(m.name);
  }
  if (progress) zip_register_progress_callback_with_state(z, 0.01, report_progress, nullptr,
                                                          const_cast<std::function<void(double)>*>(&progress));
  if (zip_close(z) < 0) fail("closing");
}

BackupArchiveReader::BackupArchiveReader(const std::filesystem::path& archive) : path_(archive) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(archive, ec))
    throw Error(ErrorCode::NotFound, "no backup file at " + archive.string());
  if (!looks_like_zip(archive))
    throw Error(ErrorCode::InvalidArgument, "not an inkan backup: " + archive.string() + " is not a backup archive");
  int code = 0;
  zip_ = zip_open(archive.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (!zip_)
    throw Error(ErrorCode::Integrity, "backup " + archive.string() + " is truncated or damaged (" +
                                          zip_open_error(code) + ")");
}

BackupArchiveReader::~BackupArchiveReader() {
  if (zip_) zip_discard(zip_);
}

std::vector<std::string> BackupArchiveReader::names() const {
  std::vector<std::string> out;
  const zip_int64_t n = zip_get_num_entries(zip_, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(zip_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    out.emplace_back(name ? name : "");
  }
  return out;
}

bool BackupArchiveReader::contains(const std::string& name) const {
  return zip_name_locate(zip_, name.c_str(), 0) >= 0;
}

std::string BackupArchiveReader::read_small(const std::string& name, std::size_t max_size) const {
  zip_stat_t st;
  if (zip_stat(zip_, name.c_str(), 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
    throw Error(ErrorCode::Integrity, "backup has no readable " + name);
  if (st.size > max_size) damaged(name, "larger than " + std::to_string(max_size) + " bytes");
  ZipFile f{zip_fopen(zip_, name.c_str(), 0)};
  if (!f.f) damaged(name, zip_strerror(zip_));
  std::string out(static_cast<std::size_t>(st.size), '\0');
  std::size_t done = 0;
  for (;;) {
    // Reading past the end lets libzip compare the CRC.
    char extra;
    const zip_int64_t n = done < out.size() ? zip_fread(f.f, out.data() + done, out.size() - done)
                                            : zip_fread(f.f, &extra, 1);
    if (n < 0) damaged(name, zip_file_strerror(f.f));
    if (n == 0) break;
    if (done == out.size()) damaged(name, "longer than recorded");
    done += static_cast<std::size_t>(n);
  }
  if (done != out.size()) damaged(name, "shorter than recorded");
  return out;
}

void BackupArchiveReader::extract_verified(const BackupFileEntry& expected,
                                           const std::filesystem::path& target) const {
  const std::string& name = expected.name;
  zip_stat_t st;
  if (zip_stat(zip_, name.c_str(), 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
    throw Error(ErrorCode::Integrity, "backup has no readable " + name);
  if (st.size != expected.size)
    damaged(name, "holds " + std::to_string(st.size) + " bytes, the manifest says " + std::to_string(expected.size));
  ZipFile f{zip_fopen(zip_, name.c_str(), 0)};
  if (!f.f) damaged(name, zip_strerror(zip_));
  OutFile out(target);
  crypto::Sha256Stream hash;
  std::vector<char> buf(kChunk);
  std::uint64_t total = 0;
  for (;;) {
    const zip_int64_t n = zip_fread(f.f, buf.data(), buf.size());
    if (n < 0) damaged(name, zip_file_strerror(f.f));
    if (n == 0) break;
    total += static_cast<std::uint64_t>(n);
    if (total > expected.size) damaged(name, "longer than the manifest says");
    hash.update(buf.data(), static_cast<std::size_t>(n));
    out.write(buf.data(), static_cast<std::size_t>(n));
  }
  if (total != expected.size) damaged(name, "truncated (" + std::to_string(total) + " of " + std::to_string(expected.size) + " bytes)");
  if (hash.final_hex() != expected.sha256) damaged(name, "SHA-256 differs from the manifest");
  out.sync_and_close();
}

}  // namespace inkan::service
