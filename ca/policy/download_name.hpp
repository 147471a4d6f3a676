#pragma once
// The names of the files that carry a credential: the files `issue` and `batch` write, the
// members of the zips, and the name a browser saves a download under. A Japanese (or any other
// non-ASCII) CN stays as it is, in UTF-8: an operator finds 「ひまわり 事務PC」 by its name in
// Explorer. What no file system or Windows accepts is replaced by '_', one '_' per character.
#include <cstddef>
#include <string>
#include <string_view>

#include "ca/domain/serial.hpp"

namespace inkan::policy {

// The longest stem we derive, in octets: with ".password.txt", or a batch's ".<name>.partial"
// around "<stem>.p12", every name stays far under NAME_MAX (255 octets), and under Windows'
// 255 UTF-16 units per name.
inline constexpr std::size_t kMaxFileStemOctets = 169;

// "<tenant>_<cn>_<first 8 hex of the serial>" for files on disk and zip members. ASCII outside
// [A-Za-z0-9._-] becomes '_' (as before: a name any script can pass around unquoted); non-ASCII
// characters are kept except controls (C1), format and bidirectional controls, invisible or
// non-character code points and Unicode spaces; malformed UTF-8 becomes '_' per octet. The CN
// part is cut at a character boundary so the stem is at most kMaxFileStemOctets; a CN part
// that would be empty or start with '.' gets a leading '_'. Never a Windows-reserved name.
std::string credential_file_stem(std::string_view tenant_id, std::string_view cn, const Serial& serial);

// The same for a download's RFC 6266 `filename*`, where the browser, not a script, uses the
// name: printable ASCII is kept except the characters Windows refuses (\ / : * ? " < > |), and
// Unicode spaces are kept too.
std::string download_file_stem(std::string_view tenant_id, std::string_view cn, const Serial& serial);

// A name Windows reserves for a device whatever its extension: CON, PRN, AUX, NUL, COM1-COM9,
// LPT1-LPT9 (also with a superscript digit ¹²³), compared without case, before the first '.'.
bool windows_reserved_name(std::string_view name);

}  // namespace inkan::policy
