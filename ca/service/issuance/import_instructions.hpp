#pragma once
// The text that travels in a zip bundle, in Japanese (the seed's wording) and English.
#include <string>

namespace inkan::service {

std::string import_instructions(const std::string& p12_file_name);

}  // namespace inkan::service
