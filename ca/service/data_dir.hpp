#pragma once
// The data directory: DIR/inkan.db (SQLite, with its WAL) holds everything; keys inside it are
// encrypted. The directory is created 0700 and the database 0600.
#include <filesystem>
#include <memory>

#include "ca/store/store.hpp"

namespace inkan::service {

std::filesystem::path database_path(const std::filesystem::path& dir);
// Creates the directory if needed (for `init`).
std::unique_ptr<Store> open_or_create_data_dir(const std::filesystem::path& dir);
// Throws Error(InvalidState) naming the directory when it holds no inkan database.
std::unique_ptr<Store> open_data_dir(const std::filesystem::path& dir);

}  // namespace inkan::service
