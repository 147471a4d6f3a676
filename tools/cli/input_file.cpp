#include "cli/input_file.hpp"

#include <fstream>

#include "ca/domain/error.hpp"

namespace inkan::cli {

std::string read_input_file(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, "cannot read " + path);
  std::string data(max_bytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() > max_bytes)
    throw Error(ErrorCode::InvalidArgument, path + " is larger than " + std::to_string(max_bytes) + " bytes");
  return data;
}

}  // namespace inkan::cli
