#pragma once
// Certificate extensions: presence, criticality and content per RFC 5280 and the inkan profiles
// (CA: basicConstraints cA critical + keyCertSign; leaf: clientAuth/serverAuth, no cA).
#include "ca/lint/lint_report.hpp"
#include "ca/lint/x509_parts.hpp"

namespace inkan::lint {

struct BasicConstraintsValue {
  bool ca = false;
  bool has_path_len = false;
};

// Throws DerError for a malformed extension value.
BasicConstraintsValue basic_constraints(const CertificateParts& cert);
void check_extensions(LintReport& report, const CertificateParts& cert, bool self_signed);

}  // namespace inkan::lint
