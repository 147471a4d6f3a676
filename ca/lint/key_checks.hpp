#pragma once
// Public keys: RSA of at least 2048 bits with a sane exponent, EC on P-256 or P-384.
#include "ca/lint/lint_report.hpp"
#include "ca/lint/x509_parts.hpp"

namespace inkan::lint {

void check_public_key(LintReport& report, const PublicKeyParts& key);

}  // namespace inkan::lint
