#pragma once
// What this binary is and runs with, for `inkan --version` and bug reports: the inkan release
// and the versions of the libraries loaded at run time (not those of the build's headers).
#include <string>

namespace inkan::service {

struct RuntimeVersions {
  std::string inkan;    // the CMake project version
  std::string botan;    // e.g. "2.19.3"
  std::string openssl;  // e.g. "OpenSSL 3.0.17 1 Jul 2025"
  std::string sqlite;   // e.g. "3.40.1"
};

RuntimeVersions runtime_versions();

}  // namespace inkan::service
