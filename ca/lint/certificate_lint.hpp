#pragma once
// Boulder-style linting: every certificate inkan signs passes through lint_certificate before
// it is stored, and `inkan lint FILE` runs the same rules on any certificate or CRL.
#include <optional>

#include "ca/domain/records.hpp"
#include "ca/lint/lint_report.hpp"

namespace inkan::lint {

struct LintOptions {
  // Verifying the signature costs as much as a signature on P-256. At issuance the signer has
  // just produced it (Botan checks its RSA private operations against the public key), so the
  // issuance hook skips it; `inkan lint` always verifies.
  bool verify_signature = true;
};

// `issuer_der` enables the checks that need the issuer: name and key-id linkage, signature,
// validity within the issuer's. A self-signed certificate is its own issuer when none is given.
LintReport lint_certificate(const Bytes& der, const std::optional<Bytes>& issuer_der = std::nullopt,
                            LintOptions options = {});
LintReport lint_crl(const Bytes& der, const std::optional<Bytes>& issuer_der = std::nullopt);

}  // namespace inkan::lint
