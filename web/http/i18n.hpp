#pragma once
// The portal's two languages: Japanese (the seed's wording, the default) and English.
#include <string>
#include <string_view>

#include "web/http/view.hpp"

namespace inkan::web {

enum class Lang { Ja, En };

std::string_view to_string(Lang lang);  // "ja", "en"
// The language cookie wins; else the best of ja/en in Accept-Language (q-values honoured);
// else Japanese.
Lang negotiate_language(std::string_view cookie_value, std::string_view accept_language);

// Every message of the catalog as text "t_<key>" (escaped by the template like any text),
// plus "lang" and the flags "lang_ja" / "lang_en".
void add_messages(View& view, Lang lang);
// One message; throws Error(NotFound) for an unknown key.
std::string message(std::string_view key, Lang lang);

}  // namespace inkan::web
