// The only translation unit that includes mstch.
#include <mstch/mstch.hpp>

#include "ca/domain/error.hpp"
#include "web/assets.hpp"
#include "web/view.hpp"

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

const std::map<std::string, std::string>& partials() {
  static const std::map<std::string, std::string> all = [] {
    std::map<std::string, std::string> p;
    for (const auto& [name, text] : all_view_templates()) p.emplace(std::string(name), std::string(text));
    return p;
  }();
  return all;
}

}  // namespace

std::string render(const std::string& name, const View& view) {
  auto tmpl = view_template(name);
  if (!tmpl) throw Error(ErrorCode::NotFound, "no view named " + name);
  return mstch::render(std::string(*tmpl), to_node(view), partials());
}

}  // namespace inkan::web
