#include "ca/service/files/zip_file_writer.hpp"

#include <zip.h>

#include "ca/domain/error.hpp"

namespace inkan::service {
namespace {

zip_t* as_zip(void* p) { return static_cast<zip_t*>(p); }

}  // namespace

ZipFileWriter::ZipFileWriter(const std::filesystem::path& target) : target_(target) {
  int err = 0;
  archive_ = zip_open(target.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!archive_) {
    zip_error_t e;
    zip_error_init_with_code(&e, err);
    std::string msg = zip_error_strerror(&e);
    zip_error_fini(&e);
    throw Error(ErrorCode::Io, "cannot create " + target.string() + ": " + msg);
  }
  buffers_.reserve(16);
}

ZipFileWriter::~ZipFileWriter() {
  if (archive_) zip_discard(as_zip(archive_));
}

void ZipFileWriter::add_file(const std::string& name, const std::filesystem::path& source) {
  zip_source_t* src = zip_source_file(as_zip(archive_), source.c_str(), 0, -1);
  const zip_int64_t index =
      src ? zip_file_add(as_zip(archive_), name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
  if (index < 0) {
    if (src) zip_source_free(src);
    throw Error(ErrorCode::Io, "cannot add " + source.string() + " to " + target_.string() + ": " +
                                   zip_strerror(as_zip(archive_)));
  }
  if (zip_set_file_compression(as_zip(archive_), static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) < 0)
    throw Error(ErrorCode::Io, "cannot store " + name + " in " + target_.string() + ": " + zip_strerror(as_zip(archive_)));
}

void ZipFileWriter::add_bytes(const std::string& name, std::string content) {
  // Stable addresses: reserve() above covers the few small members a bundle has; beyond that a
  // reallocation would move strings whose buffers libzip still points to, so refuse.
  if (buffers_.size() == buffers_.capacity())
    throw Error(ErrorCode::Io, "too many in-memory members for " + target_.string());
  buffers_.push_back(std::move(content));
  const auto& b = buffers_.back();
  zip_source_t* src = zip_source_buffer(as_zip(archive_), b.data(), b.size(), 0);
  if (!src || zip_file_add(as_zip(archive_), name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
    if (src) zip_source_free(src);
    throw Error(ErrorCode::Io, "cannot add " + name + " to " + target_.string() + ": " + zip_strerror(as_zip(archive_)));
  }
}

void ZipFileWriter::close() {
  if (zip_close(as_zip(archive_)) < 0) {
    std::string msg = zip_strerror(as_zip(archive_));
    zip_discard(as_zip(archive_));
    archive_ = nullptr;
    throw Error(ErrorCode::Io, "cannot write " + target_.string() + ": " + msg);
  }
  archive_ = nullptr;
}

}  // namespace inkan::service
