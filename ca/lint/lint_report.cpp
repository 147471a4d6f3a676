#include "ca/lint/lint_report.hpp"

namespace inkan::lint {

std::string LintReport::describe() const {
  std::string out;
  for (const auto& f : findings) {
    const auto& r = info(f.rule);
    out += std::string(r.id) + ": " + std::string(r.summary);
    if (!f.detail.empty()) out += " (" + f.detail + ")";
    out += " [" + std::string(r.citation) + "]\n";
  }
  return out;
}

}  // namespace inkan::lint
