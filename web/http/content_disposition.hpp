#pragma once
// The Content-Disposition of a download (RFC 6266): the UTF-8 name in `filename*` (RFC 8187),
// which every current browser uses, and an ASCII `filename` for the rest.
#include <string>
#include <string_view>

namespace inkan::web {

// A file name safe in a quoted header parameter: [A-Za-z0-9._-] kept, any other ASCII octet
// '_', each non-ASCII character one '_' (not one per octet); no leading dot, at most 100
// characters, never empty.
std::string ascii_filename(std::string_view stem);
// `attachment; filename="<ascii>.<ext>"; filename*=UTF-8''<percent-encoded stem>.<ext>`.
std::string content_disposition(std::string_view stem, std::string_view extension);

}  // namespace inkan::web
