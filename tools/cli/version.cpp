#include "cli/version.hpp"

#include "ca/service/versions.hpp"
#include "inkan_build_info.hpp"  // generated at configure time by tools/build_info.cmake

namespace inkan::cli {

std::string version_text() {
  const auto v = service::runtime_versions();
  return "inkan " + v.inkan + "\n" +
         "commit:  " + std::string(build_info::kSourceCommit) + "\n" +
         "Botan:   " + v.botan + "\n" +
         "OpenSSL: " + v.openssl + "\n" +
         "SQLite:  " + v.sqlite;
}

}  // namespace inkan::cli
