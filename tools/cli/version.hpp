#pragma once
// `inkan --version`: what an operator (or a bug report) needs to know about this binary.
#include <string>

namespace inkan::cli {

// First line "inkan VERSION" (help2man and scripts read it), then the source commit and the
// Botan, OpenSSL and SQLite versions the process runs with.
std::string version_text();

}  // namespace inkan::cli
