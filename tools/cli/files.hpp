#pragma once
// Writing command outputs. Checked before anything is changed, so a bad --out leaves the store
// untouched.
#include <filesystem>
#include <string_view>

#include "ca/domain/records.hpp"

namespace inkan::cli {

// Creates the directory (0700) if needed and proves it writable with a probe file.
void ensure_writable_dir(const std::filesystem::path& dir);
// Proves the file can be created: its directory exists and is writable, and it does not exist.
void ensure_creatable_file(const std::filesystem::path& file);

// 0600, never overwriting (keys, passwords, p12 and zip bundles).
void write_private_file(const std::filesystem::path& file, std::string_view content);
void write_private_file(const std::filesystem::path& file, const Bytes& content);
// 0644, replacing atomically (certificates, CRLs).
void write_public_file(const std::filesystem::path& file, std::string_view content);

}  // namespace inkan::cli
