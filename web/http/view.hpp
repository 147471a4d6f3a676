#pragma once
// What a template sees: text (always HTML-escaped by {{ }}), flags for sections, and lists.
// A small type of our own, so that only render.cpp includes mstch (and boost).
#include <map>
#include <string>
#include <vector>

namespace inkan::web {

struct View {
  std::map<std::string, std::string> text;
  std::map<std::string, bool> flags;
  std::map<std::string, std::vector<View>> lists;

  View& set(const std::string& key, std::string value) {
    text[key] = std::move(value);
    return *this;
  }
  View& flag(const std::string& key, bool on = true) {
    flags[key] = on;
    return *this;
  }
};

// Renders web/views/<name>.mustache; every other view is available as a partial ({{> head}}).
// Throws Error(NotFound) for an unknown view.
std::string render(const std::string& name, const View& view);

}  // namespace inkan::web
