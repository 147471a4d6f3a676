#pragma once
// Which PKCS#12 profile to offer first, from the User-Agent (design.md §5): macOS, iOS, Android
// and Windows before 10 cannot read `modern`; Windows 10+ and desktop Linux can. Anything we do
// not recognise gets `compat`. The page lets the user switch.
#include <string_view>

#include "ca/domain/enums.hpp"

namespace inkan::web {

P12Profile default_p12_profile(std::string_view user_agent);

}  // namespace inkan::web
