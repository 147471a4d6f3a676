#pragma once
// Boulder's rule: every certificate inkan signs is linted (ca/lint) before anything stores or
// hands it out. A lint failure aborts the issuance with Error(PolicyViolation) naming the rules;
// the caller's usual failure path then drops the reservation, so nothing half-issued remains.
#include <optional>

#include "ca/crypto/x509/certificate.hpp"

namespace inkan::service {

// `ca.issue(...)`, then the linter with `ca`'s certificate as the issuer.
Bytes sign_linted(const crypto::SigningCa& ca, const CertificateTemplate& tmpl, const Bytes& subject_spki,
                  crypto::Rng& rng);
// A root: `crypto::self_sign(...)`, linted as its own issuer.
Bytes self_sign_linted(const CertificateTemplate& tmpl, const crypto::PrivateKey& key, crypto::Rng& rng);
// Throws Error(PolicyViolation) when the certificate fails a lint of error severity. The
// signature itself is not re-verified here (lint::LintOptions says why).
void require_lint_clean(const Bytes& cert_der, const std::optional<Bytes>& issuer_der);

}  // namespace inkan::service
