#pragma once
// Writing command outputs. Checked before anything is changed, so a bad --out leaves the store
// untouched.
#include <filesystem>
#include <string_view>

#include "ca/domain/records.hpp"

namespace inkan::cli {

// Proves the directory (or, when missing, its nearest existing ancestor) is writable, without
// creating anything.
void ensure_writable_dir(const std::filesystem::path& dir);
// For outputs that hold secrets (issue, renew, batch): ensure_writable_dir, and an existing
// directory must not be a symbolic link, must be owned by the account running inkan and writable by
// nobody else (service::require_private_dir).
void ensure_private_output_dir(const std::filesystem::path& dir);
// Creates the directory (0700) when missing, then checks it as ensure_private_output_dir; call it
// once the outputs are ready to write.
void create_output_dir(const std::filesystem::path& dir);
// Proves the file can be created: it does not exist (not even as a dangling symbolic link), and
// its directory is writable (a directory others can write needs the sticky bit) or, when missing,
// can be made: the write functions below make a missing directory 0700.
void ensure_creatable_file(const std::filesystem::path& file);

// 0600, never overwriting (keys, passwords, p12 and zip bundles).
void write_private_file(const std::filesystem::path& file, std::string_view content);
void write_private_file(const std::filesystem::path& file, const Bytes& content);
// Like write_private_file, but a file that already holds exactly `content` is left as it is, so
// handing the same credential out twice to one directory succeeds.
void write_private_file_once(const std::filesystem::path& file, const Bytes& content);
// 0644, replacing atomically (certificates, CRLs).
void write_public_file(const std::filesystem::path& file, std::string_view content);

}  // namespace inkan::cli
