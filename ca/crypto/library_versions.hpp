#pragma once
// The versions of the cryptographic libraries this process runs with, for `inkan --version`.
// Asked of the loaded shared libraries at run time, not taken from the headers at build time:
// after a Debian security update the program runs with the new library without a rebuild.
#include <string>

namespace inkan::crypto {

std::string botan_runtime_version();    // e.g. "2.19.3"
std::string openssl_runtime_version();  // e.g. "OpenSSL 3.0.17 1 Jul 2025"

}  // namespace inkan::crypto
