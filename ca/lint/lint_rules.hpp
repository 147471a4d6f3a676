#pragma once
// Every rule the linter knows, with its id, severity and citation. The ids follow zlint's
// convention (e_ = error, w_ = warning) so operators can compare findings with other linters.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace inkan::lint {

enum class Severity { Error, Warning };

enum class LintRule {
  DerMalformed,
  // Certificate structure
  CertVersionNotV3,
  SerialNotPositive,
  SerialTooLong,
  SerialNotMinimal,
  SerialLowEntropy,
  SignatureAlgorithmMismatch,
  SignatureAlgorithmWeak,
  SignatureInvalid,
  IssuerEmpty,
  IssuerNameMismatch,
  SubjectEmpty,
  SubjectCommonNameMissing,
  // Time
  TimeEncodingFormat,
  TimeGeneralizedBefore2050,
  ValidityInverted,
  ValidityBeyondIssuer,
  // Extensions
  ExtensionsMissing,
  ExtensionDuplicate,
  ExtensionUnknownCritical,
  BasicConstraintsMissing,
  BasicConstraintsNotCritical,
  KeyUsageMissing,
  KeyUsageNotCritical,
  KeyUsageCertSignOnLeaf,
  KeyUsageCaWithoutCertSign,
  KeyUsageEmpty,
  ExtKeyUsageMissing,
  ExtKeyUsageAny,
  OcspSigningCombined,
  OcspSigningWithoutNoCheck,
  AuthorityInfoAccessCritical,
  AuthorityInfoAccessOcspNotHttp,
  SubjectKeyIdMissing,
  SubjectKeyIdMismatch,
  AuthorityKeyIdMissing,
  AuthorityKeyIdMismatch,
  KeyIdExtensionCritical,
  PathLenOnLeaf,
  // Keys
  KeyAlgorithmUnsupported,
  RsaParametersNotNull,
  RsaModulusTooSmall,
  RsaModulusUnusualSize,
  RsaExponentInvalid,
  EcCurveUnsupported,
  EcPointInvalid,
  // CRL
  CrlVersionNotV2,
  CrlNumberMissing,
  CrlNumberCritical,
  CrlNumberInvalid,
  CrlAuthorityKeyIdMissing,
  CrlNextUpdateMissing,
  CrlDatesInverted,
  CrlEmptyRevokedList,
  CrlEntrySerialDuplicate,
  CrlEntryReasonInvalid,
  CrlEntryReasonUnspecified,
  CrlEntryDateAfterThisUpdate,
};

struct RuleInfo {
  LintRule rule;
  std::string_view id;
  Severity severity;
  std::string_view citation;  // RFC 5280 section or the inkan profile
  std::string_view summary;
};

const RuleInfo& info(LintRule rule);
std::span<const RuleInfo> all_rules();

}  // namespace inkan::lint
