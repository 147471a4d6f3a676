#pragma once
// What a certificate says, decided by ca/policy and encoded by ca/crypto. Nothing in here comes
// from a CSR: a CSR only contributes its public key (design.md §4, sign_request pitfall).
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/serial.hpp"
#include "ca/domain/time.hpp"

namespace inkan {

struct DistinguishedName {
  std::string common_name;
  std::string organization;  // empty = omitted
  friend bool operator==(const DistinguishedName&, const DistinguishedName&) = default;
};

enum class KeyUsage : unsigned {
  DigitalSignature = 1u << 0,
  KeyEncipherment = 1u << 1,
  KeyCertSign = 1u << 2,
  CrlSign = 1u << 3,
};
constexpr unsigned operator|(KeyUsage a, KeyUsage b) { return unsigned(a) | unsigned(b); }
constexpr unsigned operator|(unsigned a, KeyUsage b) { return a | unsigned(b); }

enum class ExtendedKeyUsage { ClientAuth, ServerAuth, OcspSigning };

struct CertificateTemplate {
  Serial serial = Serial::from_bytes({1});
  DistinguishedName subject;
  Timestamp not_before{};
  Timestamp not_after{};
  bool is_ca = false;
  std::optional<unsigned> path_length;  // CA only
  unsigned key_usage = 0;               // KeyUsage bits; always critical
  std::vector<ExtendedKeyUsage> extended_key_usage;
  std::vector<std::string> san_emails;
  std::vector<std::string> san_dns;
  std::vector<std::string> san_ips;
  std::optional<std::string> crl_url;   // CRL distribution point (fullName URI)
  std::optional<std::string> ocsp_url;  // authorityInfoAccess id-ad-ocsp (RFC 5280 §4.2.2.1)
  bool ocsp_no_check = false;           // id-pkix-ocsp-nocheck: a delegated OCSP responder (RFC 6960 §4.2.2.2.1)
};

}  // namespace inkan
