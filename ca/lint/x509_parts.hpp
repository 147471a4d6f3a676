#pragma once
// Certificates and CRLs taken apart by the strict DER reader, keeping every field's exact
// encoding: the linter judges encodings (time types, integer forms), not just values.
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/time.hpp"
#include "ca/lint/der_reader.hpp"

namespace inkan::lint {

struct TimeField {
  std::uint8_t tag = 0;  // tag::kUtcTime or tag::kGeneralizedTime
  std::string text;
  std::optional<Timestamp> value;  // nothing when the text breaks the RFC 5280 format
};

struct Extension {
  std::string oid;
  bool critical = false;
  ByteView value;  // the extnValue OCTET STRING's content
};

struct NameParts {
  ByteView whole;
  bool empty = true;
  bool has_common_name = false;
};

struct PublicKeyParts {
  ByteView whole;  // SubjectPublicKeyInfo
  std::string algorithm_oid;
  std::optional<Tlv> parameters;
  ByteView key;  // subjectPublicKey bits
};

struct CertificateParts {
  ByteView tbs;
  long version = 0;  // 0 = v1, 2 = v3
  Tlv serial;
  ByteView tbs_signature_algorithm;
  NameParts issuer, subject;
  TimeField not_before, not_after;
  PublicKeyParts public_key;
  bool has_extensions = false;
  std::vector<Extension> extensions;
  ByteView signature_algorithm;
  std::string signature_algorithm_oid;
};

struct RevokedParts {
  Tlv serial;
  TimeField date;
  std::vector<Extension> extensions;
};

struct CrlParts {
  std::optional<long> version;  // absent = v1
  ByteView tbs_signature_algorithm;
  NameParts issuer;
  TimeField this_update;
  std::optional<TimeField> next_update;
  bool has_revoked_list = false;
  std::vector<RevokedParts> revoked;
  std::vector<Extension> extensions;
  ByteView signature_algorithm;
  std::string signature_algorithm_oid;
};

// Throw DerError for anything that is not a strictly encoded certificate / CRL.
CertificateParts parse_certificate(ByteView der);
CrlParts parse_crl(ByteView der);

// One UTCTime or GeneralizedTime element (nothing else around it).
TimeField parse_time_element(ByteView der);

// The extension with `oid`, or nullptr.
const Extension* find_extension(const std::vector<Extension>& extensions, std::string_view oid);

namespace oid {
inline constexpr std::string_view kCommonName = "2.5.4.3";
inline constexpr std::string_view kSubjectKeyId = "2.5.29.14", kKeyUsage = "2.5.29.15", kSubjectAltName = "2.5.29.17",
                                  kBasicConstraints = "2.5.29.19", kCrlNumber = "2.5.29.20", kReasonCode = "2.5.29.21",
                                  kCrlDistributionPoints = "2.5.29.31", kAuthorityKeyId = "2.5.29.35",
                                  kExtKeyUsage = "2.5.29.37", kAuthorityInfoAccess = "1.3.6.1.5.5.7.1.1";
inline constexpr std::string_view kOcspSigning = "1.3.6.1.5.5.7.3.9", kOcspNoCheck = "1.3.6.1.5.5.7.48.1.5",
                                  kAccessOcsp = "1.3.6.1.5.5.7.48.1";
inline constexpr std::string_view kClientAuth = "1.3.6.1.5.5.7.3.2", kServerAuth = "1.3.6.1.5.5.7.3.1",
                                  kAnyExtendedKeyUsage = "2.5.29.37.0";
inline constexpr std::string_view kRsaEncryption = "1.2.840.113549.1.1.1", kEcPublicKey = "1.2.840.10045.2.1";
inline constexpr std::string_view kP256 = "1.2.840.10045.3.1.7", kP384 = "1.3.132.0.34";
}  // namespace oid

}  // namespace inkan::lint
