#include "ca/service/versions.hpp"

#include "ca/crypto/library_versions.hpp"
#include "ca/service/backup/backup.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"

namespace inkan::service {

RuntimeVersions runtime_versions() {
  return {std::string(inkan_version()), crypto::botan_runtime_version(),
          crypto::openssl_runtime_version(), sqlite_runtime_version()};
}

}  // namespace inkan::service
