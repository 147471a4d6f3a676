#pragma once
// The printable password slips page (issue 16 item 10), from one escaped template
// (views/password_slips.mustache) for both front ends: the management site serves it with its
// stylesheet linked (/admin/slips.css, the CSP allows no inline style), `inkan slips` writes it
// to a file with the same stylesheet inlined, so the file prints on its own. Bilingual (Japanese,
// the seed's wording, then English) on every slip: a facility may hand slips to either reader.
#include <string>

#include "ca/domain/local_time.hpp"
#include "ca/service/issuance/password_slips.hpp"

namespace inkan::web {

enum class SlipStyle { Linked, Inline };

// Dates in `zone`, the installation's (the sheet goes to readers of either language, so the
// numeric notation, 2027-01-06, which both read).
std::string password_slips_html(const service::PasswordSlipSheet& sheet, SlipStyle style, const TimeZone& zone);
// The A4 print stylesheet (views/slips_css.mustache), for GET /admin/slips.css.
std::string password_slips_css();

}  // namespace inkan::web
