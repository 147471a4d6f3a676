#include "web/api/renew_body.hpp"

#include <nlohmann/json.hpp>

namespace inkan::web {

std::optional<std::optional<P12Profile>> parse_renew_body(std::string_view text) {
  // allow_exceptions=false: malformed JSON is a discarded value, not an exception.
  auto body = nlohmann::json::parse(text, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  std::optional<P12Profile> profile;
  for (const auto& [key, value] : body.items()) {
    if (key != "p12_profile" || !value.is_string()) return std::nullopt;
    profile = parse_p12_profile(value.get<std::string>());
    if (!profile) return std::nullopt;
  }
  return profile;
}

}  // namespace inkan::web
