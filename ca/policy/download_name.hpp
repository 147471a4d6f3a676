#pragma once
// The name a browser saves a downloaded credential under. Unlike the file names `issue` writes
// (credential_file_stem: ASCII only, since they land on any file system), it keeps a Japanese CN:
// the management site sends it as RFC 6266 `filename*=UTF-8''…` with an ASCII fallback.
#include <string>
#include <string_view>

#include "ca/domain/serial.hpp"

namespace inkan::policy {

// "<tenant>_<cn>_<first 8 hex of the serial>", the CN's UTF-8 kept except for control
// characters, path separators and the characters Windows refuses in file names (each becomes
// '_'), cut to 120 octets at a character boundary; never empty, never starting with '.'.
std::string download_file_stem(std::string_view tenant_id, std::string_view cn, const Serial& serial);

}  // namespace inkan::policy
