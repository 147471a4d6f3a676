#include "ca/service/files/zip_archive.hpp"

#include <zip.h>

#include <memory>

#include "ca/domain/error.hpp"

namespace inkan::service {
namespace {

[[noreturn]] void fail(const std::string& what, zip_error_t* err) {
  std::string msg = "cannot build zip: " + what + (err ? std::string(": ") + zip_error_strerror(err) : "");
  throw Error(ErrorCode::Io, msg);
}

}  // namespace

Bytes make_zip(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) fail("buffer", &error);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(buffer);
    fail("open", &error);
  }
  zip_source_keep(buffer);  // keep the buffer alive after zip_close to read the result
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> keep(buffer, zip_source_free);

  for (const auto& e : entries) {
    // libzip reads the data at zip_close; `entries` outlives that.
    zip_source_t* src = zip_source_buffer(archive, e.content.data(), e.content.size(), 0);
    if (!src || zip_file_add(archive, e.name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      if (src) zip_source_free(src);
      std::string msg = zip_strerror(archive);
      zip_discard(archive);
      throw Error(ErrorCode::Io, "cannot build zip: " + msg);
    }
  }
  if (zip_close(archive) < 0) {
    std::string msg = zip_strerror(archive);
    zip_discard(archive);
    throw Error(ErrorCode::Io, "cannot build zip: " + msg);
  }

  if (zip_source_open(buffer) < 0) fail("reopen", zip_source_error(buffer));
  zip_source_seek(buffer, 0, SEEK_END);
  auto size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  Bytes out(static_cast<std::size_t>(size < 0 ? 0 : size));
  auto n = zip_source_read(buffer, out.data(), out.size());
  zip_source_close(buffer);
  if (n < 0 || static_cast<std::size_t>(n) != out.size()) fail("read back", nullptr);
  return out;
}

}  // namespace inkan::service
