#pragma once
// Reading an input file the operator names (CSR, certificate, offline root file), bounded in
// size so a wrong path to a huge file fails fast with a message naming it.
#include <cstddef>
#include <string>

namespace inkan::cli {

// Throws Error(Io) naming the file when it cannot be read, Error(InvalidArgument) when it is
// larger than `max_bytes`.
std::string read_input_file(const std::string& path, std::size_t max_bytes);

}  // namespace inkan::cli
