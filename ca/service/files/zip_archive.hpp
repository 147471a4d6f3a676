#pragma once
// In-memory zip archives (libzip), for credential bundles.
#include <string>
#include <utility>
#include <vector>

#include "ca/domain/records.hpp"

namespace inkan::service {

struct ZipEntry {
  std::string name;
  Bytes content;
};

Bytes make_zip(const std::vector<ZipEntry>& entries);

}  // namespace inkan::service
