#include "ca/service/issuance/linted_signing.hpp"

#include "ca/domain/error.hpp"
#include "ca/lint/certificate_lint.hpp"

namespace inkan::service {

void require_lint_clean(const Bytes& cert_der, const std::optional<Bytes>& issuer_der) {
  const auto report = lint::lint_certificate(cert_der, issuer_der, {.verify_signature = false});
  if (!report.has_errors()) return;
  std::string rules;
  for (const auto& f : report.findings)
    if (lint::info(f.rule).severity == lint::Severity::Error) rules += (rules.empty() ? "" : ", ") + std::string(lint::info(f.rule).id);
  throw Error(ErrorCode::PolicyViolation, "the signed certificate failed lint (" + rules + "); it was not stored");
}

Bytes sign_linted(const crypto::SigningCa& ca, const CertificateTemplate& tmpl, const Bytes& subject_spki,
                  crypto::Rng& rng) {
  auto der = ca.issue(tmpl, subject_spki, rng);
  require_lint_clean(der, ca.cert_der());
  return der;
}

Bytes self_sign_linted(const CertificateTemplate& tmpl, const crypto::PrivateKey& key, crypto::Rng& rng) {
  auto der = crypto::self_sign(tmpl, key, rng);
  require_lint_clean(der, std::nullopt);
  return der;
}

}  // namespace inkan::service
