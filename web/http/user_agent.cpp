#include "web/http/user_agent.hpp"

namespace inkan::web {
namespace {
bool has(std::string_view ua, std::string_view s) { return ua.find(s) != std::string_view::npos; }
}  // namespace

P12Profile default_p12_profile(std::string_view ua) {
  // Order matters: iOS and Android user agents also say "Mac OS X" / "Linux".
  if (has(ua, "iPhone") || has(ua, "iPad") || has(ua, "iPod") || has(ua, "Android") || has(ua, "Macintosh") ||
      has(ua, "Mac OS X") || has(ua, "CrOS"))
    return P12Profile::Compat;
  // Windows 11 reports "Windows NT 10.0" too.
  if (has(ua, "Windows NT 10.0")) return P12Profile::Modern;
  if (has(ua, "Windows")) return P12Profile::Compat;
  if (has(ua, "Linux") || has(ua, "X11")) return P12Profile::Modern;
  return P12Profile::Compat;
}

}  // namespace inkan::web
