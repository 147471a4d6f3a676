#include "ca/crypto/library_versions.hpp"

#include <botan/version.h>
#include <openssl/crypto.h>

namespace inkan::crypto {

std::string botan_runtime_version() { return Botan::short_version_string(); }

std::string openssl_runtime_version() { return OpenSSL_version(OPENSSL_VERSION); }

}  // namespace inkan::crypto
