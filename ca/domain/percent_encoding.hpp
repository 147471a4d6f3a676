#pragma once
// RFC 3986 percent-decoding, shared by the readers of URIs: PKCS#11 URIs (RFC 7512) and OCSP GET
// requests (RFC 6960 appendix A). Each caller keeps its own idea of what a bad escape means.
#include <optional>
#include <string>
#include <string_view>

namespace inkan {

// `%XY` becomes the octet 0xXY (either case of hex digit); every other character stays. nullopt
// for a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace inkan
