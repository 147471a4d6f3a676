// The only translation unit that includes mstch.
#include <mstch/mstch.hpp>

#include <set>
#include <string_view>
#include <vector>

#include "ca/domain/error.hpp"
#include "web/http/assets.hpp"
#include "web/http/view.hpp"

namespace inkan::web {
namespace {

mstch::map to_node(const View& v) {
  mstch::map m;
  for (const auto& [k, s] : v.text) m.emplace(k, s);
  for (const auto& [k, b] : v.flags) m.emplace(k, b);
  for (const auto& [k, list] : v.lists) {
    mstch::array a;
    for (const auto& item : list) a.push_back(to_node(item));
    m.emplace(k, a);
  }
  return m;
}

// The names a template includes with {{> name}}.
std::set<std::string> included_names(std::string_view text) {
  std::set<std::string> names;
  for (auto at = text.find("{{>"); at != std::string_view::npos; at = text.find("{{>", at + 3)) {
    const auto end = text.find("}}", at);
    if (end == std::string_view::npos) break;
    auto name = text.substr(at + 3, end - at - 3);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    names.emplace(name);
  }
  return names;
}

// For each view, only the partials it includes, transitively: mstch parses every partial it is
// given on every render, and all 19 views cost about 0.6 ms a page (found by fuzz_router).
using Partials = std::map<std::string, std::string>;
const std::map<std::string, Partials>& partials_by_view() {
  static const std::map<std::string, Partials> by_view = [] {
    std::map<std::string, std::string> all;
    for (const auto& [name, text] : all_view_templates()) all.emplace(std::string(name), std::string(text));
    std::map<std::string, Partials> out;
    for (const auto& [view, text] : all) {
      Partials needed;
      std::vector<std::string> todo(1, view);
      while (!todo.empty()) {
        const auto current = std::move(todo.back());
        todo.pop_back();
        for (const auto& name : included_names(all.at(current))) {
          auto it = all.find(name);
          if (it != all.end() && needed.emplace(name, it->second).second) todo.push_back(name);
        }
      }
      out.emplace(view, std::move(needed));
    }
    return out;
  }();
  return by_view;
}

}  // namespace

std::string render(const std::string& name, const View& view) {
  auto tmpl = view_template(name);
  if (!tmpl) throw Error(ErrorCode::NotFound, "no view named " + name);
  const auto& by_view = partials_by_view();
  const auto it = by_view.find(name);
  static const Partials none;
  return mstch::render(std::string(*tmpl), to_node(view), it == by_view.end() ? none : it->second);
}

}  // namespace inkan::web
