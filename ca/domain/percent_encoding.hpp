#pragma once
// RFC 3986 percent-encoding, shared by the readers and writers of URIs: PKCS#11 URIs (RFC 7512),
// OCSP GET requests (RFC 6960 appendix A) and RFC 8187 file names. Each caller keeps its own idea
// of what a bad escape means and which characters stay as they are.
#include <optional>
#include <string>
#include <string_view>

namespace inkan {

// `%XY` becomes the octet 0xXY (either case of hex digit); every other character stays. nullopt
// for a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

// Every octet for which `stays` is false becomes `%XY` (upper-case hex); the others stay.
std::string percent_encode(std::string_view text, bool (*stays)(unsigned char));

}  // namespace inkan
