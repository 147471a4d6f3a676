#pragma once
// What a lint run found. A report with any Error-severity finding fails.
#include <string>
#include <vector>

#include "ca/lint/lint_rules.hpp"

namespace inkan::lint {

struct Finding {
  LintRule rule;
  std::string detail;  // what exactly was seen, e.g. "serial is 8 octets"
};

struct LintReport {
  std::vector<Finding> findings;

  void add(LintRule rule, std::string detail = {}) { findings.push_back({rule, std::move(detail)}); }
  bool fired(LintRule rule) const {
    for (const auto& f : findings)
      if (f.rule == rule) return true;
    return false;
  }
  bool has_errors() const {
    for (const auto& f : findings)
      if (info(f.rule).severity == Severity::Error) return true;
    return false;
  }
  // One line per finding: "e_serial_too_long: the serial must be ... (serial is 21 octets) [RFC 5280 §4.1.2.2]".
  std::string describe() const;
};

}  // namespace inkan::lint
