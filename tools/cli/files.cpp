#include "cli/files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ca/domain/error.hpp"
#include "ca/service/files/private_paths.hpp"
#include "ca/service/files/secret_file.hpp"

namespace inkan::cli {
namespace fs = std::filesystem;

void ensure_writable_dir(const fs::path& dir) {
  // Nothing is created here: a command that fails later must leave no empty directory behind.
  std::error_code ec;
  auto existing = dir.empty() ? fs::path(".") : dir;
  while (!fs::exists(existing, ec)) {
    // "out" has no parent path: its parent is the working directory.
    auto parent = existing.has_parent_path() ? existing.parent_path() : fs::path(".");
    if (parent == existing) break;
    existing = parent;
  }
  if (!fs::is_directory(existing, ec))
    throw Error(ErrorCode::Io, "output path " + dir.string() + ": " + existing.string() + " is not a directory");
  if (::access(existing.c_str(), W_OK | X_OK) != 0)
    throw Error(ErrorCode::Io, "output directory " + existing.string() + " is not writable: " + std::strerror(errno));
}

void ensure_private_output_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::symlink_status(dir.empty() ? fs::path(".") : dir, ec).type() != fs::file_type::not_found)
    service::require_private_dir(dir);
  ensure_writable_dir(dir);
}

void create_output_dir(const fs::path& dir) { service::make_private_dir(dir.empty() ? fs::path(".") : dir); }

void ensure_creatable_file(const fs::path& file) {
  std::error_code ec;
  if (fs::symlink_status(file, ec).type() != fs::file_type::not_found)
    throw Error(ErrorCode::AlreadyExists, "refusing to overwrite " + file.string());
  auto dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  // A missing directory is made when the file is written (as `issue` makes its --out), so every
  // command treats a missing directory alike; its nearest existing ancestor must be writable.
  if (fs::symlink_status(dir, ec).type() == fs::file_type::not_found) return ensure_writable_dir(dir);
  service::require_safe_parent_dir(dir);
  if (::access(dir.c_str(), W_OK) != 0)
    throw Error(ErrorCode::Io, "directory " + dir.string() + " is not writable: " + std::strerror(errno));
}

namespace {

// The missing directories of an output file, made 0700 like an `issue --out` directory.
void make_parent_dir(const fs::path& file) {
  std::error_code ec;
  const auto dir = file.parent_path();
  if (!dir.empty() && fs::symlink_status(dir, ec).type() == fs::file_type::not_found) create_output_dir(dir);
}

}  // namespace

void write_private_file(const fs::path& file, std::string_view content) {
  make_parent_dir(file);
  service::write_secret_file(file, content);
}

void write_private_file(const fs::path& file, const Bytes& content) {
  write_private_file(file, std::string_view(reinterpret_cast<const char*>(content.data()), content.size()));
}

void write_private_file_once(const fs::path& file, const Bytes& content) {
  std::error_code ec;
  if (fs::exists(file, ec)) {
    std::ifstream in(file, std::ios::binary);
    Bytes existing((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (existing == content) return;
    throw Error(ErrorCode::AlreadyExists, "refusing to overwrite " + file.string() + ": it holds something else");
  }
  write_private_file(file, content);
}

void write_public_file(const fs::path& file, std::string_view content) {
  make_parent_dir(file);
  auto tmp = file;
  tmp += ".tmp";
  std::error_code gone;
  fs::remove(tmp, gone);  // a leftover of an interrupted run; any real problem shows in the write
  service::write_secret_file(tmp, content);
  ::chmod(tmp.c_str(), 0644);
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp);
    throw Error(ErrorCode::Io, "cannot write " + file.string() + ": " + ec.message());
  }
}

}  // namespace inkan::cli
