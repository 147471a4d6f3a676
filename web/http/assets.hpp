#pragma once
// Templates and static files, embedded in the binary at build time (embed_assets.cmake): the
// appliance serves nothing from disk and loads nothing from elsewhere.
#include <map>
#include <optional>
#include <string_view>

namespace inkan::web {

// "status" -> web/views/status.mustache
std::optional<std::string_view> view_template(std::string_view name);
// "style.css" -> web/static/style.css
std::optional<std::string_view> static_file(std::string_view name);
// Every view by name: the partials available to every template.
const std::map<std::string_view, std::string_view>& all_view_templates();

}  // namespace inkan::web
