#pragma once
// The management site's message catalog, Japanese (the seed's wording) and English. Separate
// from the portal's so each page carries only its own texts.
#include <string>
#include <string_view>

#include "web/http/i18n.hpp"
#include "web/http/view.hpp"

namespace inkan::web::admin {

// Every message as text "m_<key>", plus "lang" and the flags "lang_ja" / "lang_en".
void add_admin_messages(View& view, Lang lang);
// One message; throws Error(NotFound) for an unknown key.
std::string tr(std::string_view key, Lang lang);

}  // namespace inkan::web::admin
