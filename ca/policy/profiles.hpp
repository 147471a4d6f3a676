#pragma once
// Certificate profiles: what every certificate we sign says. Pure functions of their inputs.
#include <optional>
#include <string>

#include "ca/domain/cert_template.hpp"
#include "ca/domain/enums.hpp"

namespace inkan::policy {

inline constexpr Validity kDefaultClientValidity{3, 0, 0};  // seed rule 1: 3 years
inline constexpr Validity kDefaultRootValidity{20, 0, 0};
inline constexpr Validity kDefaultIssuingValidity{10, 0, 0};

CertificateTemplate root_ca_template(const std::string& ca_name, const Serial& serial, Timestamp now,
                                     const Validity& validity);
CertificateTemplate issuing_ca_template(const std::string& ca_name, const Serial& serial,
                                        Timestamp now, const Validity& validity);
// "<name> Issuing CA <year>", O=<name>; generation 2, 3 ... (a second rollover in one year) adds
// " G<n>", so every issuing CA has its own subject.
DistinguishedName issuing_ca_subject(const std::string& ca_name, Timestamp now, unsigned generation = 1);
// The issuing-CA profile for a given subject (a rollover, or a CSR signed by an offline root).
CertificateTemplate issuing_ca_template(const DistinguishedName& subject, const Serial& serial,
                                        Timestamp now, const Validity& validity);

struct ClientCertificateRequest {
  std::string organization;  // the tenant's name
  std::string common_name;
  CertKind kind = CertKind::Terminal;
  KeyType key_type = KeyType::Rsa2048;
  std::optional<std::string> email;
  Timestamp not_before{};
  Validity validity = kDefaultClientValidity;
  std::optional<std::string> crl_url;
  std::optional<std::string> ocsp_url;
};

// The client profile (issue #2 §3): CA:FALSE critical, keyUsage digitalSignature (+
// keyEncipherment for RSA) critical, EKU clientAuth, SKI/AKI, optional CRL DP, OCSP AIA and
// SAN email.
CertificateTemplate client_template(const ClientCertificateRequest& req, const Serial& serial);

// Refuses a certificate that would outlive its issuer, naming the issuer's expiry.
void check_within_issuer(const CertificateTemplate& tmpl, Timestamp issuer_not_after);

}  // namespace inkan::policy
