#include "ca/lint/lint_rules.hpp"

#include <array>
#include <stdexcept>

namespace inkan::lint {
namespace {

using enum LintRule;
using enum Severity;

constexpr std::array kRules = {
    RuleInfo{DerMalformed, "e_der_malformed", Error, "X.690 §10", "not strict DER"},
    RuleInfo{CertVersionNotV3, "e_cert_version_not_v3", Error, "RFC 5280 §4.1.2.1", "certificates with extensions must be v3"},
    RuleInfo{SerialNotPositive, "e_serial_not_positive", Error, "RFC 5280 §4.1.2.2", "the serial must be a positive integer"},
    RuleInfo{SerialTooLong, "e_serial_too_long", Error, "RFC 5280 §4.1.2.2", "the serial must be at most 20 octets"},
    RuleInfo{SerialNotMinimal, "e_serial_not_minimal", Error, "X.690 §8.3.2", "the serial INTEGER is not in its shortest form"},
    RuleInfo{SerialLowEntropy, "e_serial_low_entropy", Error, "CA/B BR §7.1; inkan profile",
             "a serial shorter than 64 bits cannot carry 64 random bits"},
    RuleInfo{SignatureAlgorithmMismatch, "e_signature_algorithm_mismatch", Error, "RFC 5280 §4.1.1.2",
             "tbs signature and outer signatureAlgorithm differ"},
    RuleInfo{SignatureAlgorithmWeak, "e_signature_algorithm_weak", Error, "inkan profile",
             "signature algorithm is not ECDSA or RSA PKCS#1 v1.5 with SHA-256/384/512"},
    RuleInfo{SignatureInvalid, "e_signature_invalid", Error, "RFC 5280 §6.1.3", "the signature does not verify under the issuer's key"},
    RuleInfo{IssuerEmpty, "e_issuer_empty", Error, "RFC 5280 §4.1.2.4", "the issuer name must not be empty"},
    RuleInfo{IssuerNameMismatch, "e_issuer_name_mismatch", Error, "RFC 5280 §4.1.2.4",
             "issuer name differs from the issuer certificate's subject"},
    RuleInfo{SubjectEmpty, "e_subject_empty", Error, "RFC 5280 §4.1.2.6", "a CA certificate's subject must not be empty"},
    RuleInfo{SubjectCommonNameMissing, "e_subject_common_name_missing", Error, "inkan profile",
             "every certificate inkan issues names its holder in the CN"},
    RuleInfo{TimeEncodingFormat, "e_time_encoding_format", Error, "RFC 5280 §4.1.2.5.1-2",
             "UTCTime must be YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ"},
    RuleInfo{TimeGeneralizedBefore2050, "e_time_generalized_before_2050", Error, "RFC 5280 §4.1.2.5",
             "dates through 2049 must be UTCTime"},
    RuleInfo{ValidityInverted, "e_validity_inverted", Error, "RFC 5280 §4.1.2.5", "notBefore is not before notAfter"},
    RuleInfo{ValidityBeyondIssuer, "e_validity_beyond_issuer", Error, "inkan profile", "the certificate outlives its issuer"},
    RuleInfo{ExtensionsMissing, "e_extensions_missing", Error, "inkan profile", "the certificate has no extensions"},
    RuleInfo{ExtensionDuplicate, "e_extension_duplicate", Error, "RFC 5280 §4.2", "an extension appears more than once"},
    RuleInfo{ExtensionUnknownCritical, "e_extension_unknown_critical", Error, "RFC 5280 §4.2",
             "a critical extension this profile does not process"},
    RuleInfo{BasicConstraintsMissing, "e_basic_constraints_missing", Error, "RFC 5280 §4.2.1.9; inkan profile",
             "basicConstraints is required"},
    RuleInfo{BasicConstraintsNotCritical, "e_basic_constraints_not_critical", Error, "RFC 5280 §4.2.1.9; inkan profile",
             "basicConstraints must be critical"},
    RuleInfo{KeyUsageMissing, "e_key_usage_missing", Error, "RFC 5280 §4.2.1.3; inkan profile", "keyUsage is required"},
    RuleInfo{KeyUsageNotCritical, "e_key_usage_not_critical", Error, "RFC 5280 §4.2.1.3; inkan profile",
             "keyUsage must be critical"},
    RuleInfo{KeyUsageCertSignOnLeaf, "e_key_usage_cert_sign_on_leaf", Error, "RFC 5280 §4.2.1.3",
             "keyCertSign without basicConstraints cA"},
    RuleInfo{KeyUsageCaWithoutCertSign, "e_key_usage_ca_without_cert_sign", Error, "RFC 5280 §4.2.1.3",
             "a CA certificate without keyCertSign"},
    RuleInfo{KeyUsageEmpty, "e_key_usage_empty", Error, "RFC 5280 §4.2.1.3", "keyUsage with no bit set"},
    RuleInfo{ExtKeyUsageMissing, "e_ext_key_usage_missing", Error, "inkan profile",
             "an end-entity certificate must carry clientAuth or serverAuth"},
    RuleInfo{ExtKeyUsageAny, "e_ext_key_usage_any", Error, "inkan profile", "anyExtendedKeyUsage is never issued"},
    RuleInfo{OcspSigningCombined, "e_ocsp_signing_combined", Error, "inkan profile",
             "id-kp-OCSPSigning is issued alone, to responder certificates only"},
    RuleInfo{OcspSigningWithoutNoCheck, "w_ocsp_signing_without_nocheck", Warning, "RFC 6960 §4.2.2.2.1",
             "a delegated responder certificate without id-pkix-ocsp-nocheck makes clients check its revocation"},
    RuleInfo{AuthorityInfoAccessCritical, "e_aia_critical", Error, "RFC 5280 §4.2.2.1",
             "authorityInfoAccess must not be critical"},
    RuleInfo{AuthorityInfoAccessOcspNotHttp, "e_aia_ocsp_not_http", Error, "RFC 5280 §4.2.2.1; RFC 6960 Appendix A",
             "an id-ad-ocsp accessLocation must be an http URI"},
    RuleInfo{SubjectKeyIdMissing, "e_subject_key_id_missing", Error, "RFC 5280 §4.2.1.2; inkan profile",
             "subjectKeyIdentifier is required"},
    RuleInfo{SubjectKeyIdMismatch, "w_subject_key_id_mismatch", Warning, "RFC 5280 §4.2.1.2",
             "subjectKeyIdentifier is not the SHA-1 of the public key (method 1)"},
    RuleInfo{AuthorityKeyIdMissing, "e_authority_key_id_missing", Error, "RFC 5280 §4.2.1.1",
             "authorityKeyIdentifier with keyIdentifier is required except on self-signed roots"},
    RuleInfo{AuthorityKeyIdMismatch, "e_authority_key_id_mismatch", Error, "RFC 5280 §4.2.1.1",
             "authorityKeyIdentifier differs from the issuer's subjectKeyIdentifier"},
    RuleInfo{KeyIdExtensionCritical, "e_key_id_extension_critical", Error, "RFC 5280 §4.2.1.1-2",
             "key identifier extensions must not be critical"},
    RuleInfo{PathLenOnLeaf, "e_path_len_on_leaf", Error, "RFC 5280 §4.2.1.9", "pathLenConstraint without cA"},
    RuleInfo{KeyAlgorithmUnsupported, "e_key_algorithm_unsupported", Error, "inkan profile", "the key is neither RSA nor EC"},
    RuleInfo{RsaParametersNotNull, "e_rsa_parameters_not_null", Error, "RFC 3279 §2.3.1", "rsaEncryption parameters must be NULL"},
    RuleInfo{RsaModulusTooSmall, "e_rsa_modulus_too_small", Error, "inkan profile", "RSA keys are at least 2048 bits"},
    RuleInfo{RsaModulusUnusualSize, "w_rsa_modulus_unusual_size", Warning, "inkan profile",
             "RSA modulus is not 2048, 3072 or 4096 bits"},
    RuleInfo{RsaExponentInvalid, "e_rsa_exponent_invalid", Error, "CA/B BR §6.1.6", "RSA exponent must be odd and at least 65537"},
    RuleInfo{EcCurveUnsupported, "e_ec_curve_unsupported", Error, "inkan profile", "EC keys are on P-256 or P-384"},
    RuleInfo{EcPointInvalid, "e_ec_point_invalid", Error, "RFC 5480 §2.2", "the EC point is not an uncompressed point of its curve"},
    RuleInfo{CrlVersionNotV2, "e_crl_version_not_v2", Error, "RFC 5280 §5.1.2.1", "CRLs with extensions must be v2"},
    RuleInfo{CrlNumberMissing, "e_crl_number_missing", Error, "RFC 5280 §5.2.3", "cRLNumber is required"},
    RuleInfo{CrlNumberCritical, "e_crl_number_critical", Error, "RFC 5280 §5.2.3", "cRLNumber must not be critical"},
    RuleInfo{CrlNumberInvalid, "e_crl_number_invalid", Error, "RFC 5280 §5.2.3",
             "cRLNumber must be a non-negative integer of at most 20 octets"},
    RuleInfo{CrlAuthorityKeyIdMissing, "e_crl_authority_key_id_missing", Error, "RFC 5280 §5.2.1",
             "authorityKeyIdentifier is required"},
    RuleInfo{CrlNextUpdateMissing, "e_crl_next_update_missing", Error, "RFC 5280 §5.1.2.5", "nextUpdate is required"},
    RuleInfo{CrlDatesInverted, "e_crl_dates_inverted", Error, "RFC 5280 §5.1.2.5", "nextUpdate is not after thisUpdate"},
    RuleInfo{CrlEmptyRevokedList, "e_crl_empty_revoked_list", Error, "RFC 5280 §5.1.2.6",
             "an empty revokedCertificates must be absent"},
    RuleInfo{CrlEntrySerialDuplicate, "e_crl_entry_serial_duplicate", Error, "RFC 5280 §5.1.2.6",
             "a serial is listed more than once"},
    RuleInfo{CrlEntryReasonInvalid, "e_crl_entry_reason_invalid", Error, "RFC 5280 §5.3.1", "reasonCode has an undefined value"},
    RuleInfo{CrlEntryReasonUnspecified, "w_crl_entry_reason_unspecified", Warning, "RFC 5280 §5.3.1",
             "reasonCode unspecified (0) should be absent"},
    RuleInfo{CrlEntryDateAfterThisUpdate, "e_crl_entry_date_after_this_update", Error, "RFC 5280 §5.1.2.6",
             "a revocation date is after the CRL's thisUpdate"},
};

}  // namespace

const RuleInfo& info(LintRule rule) {
  for (const auto& r : kRules)
    if (r.rule == rule) return r;
  throw std::logic_error("lint rule without an entry");
}

std::span<const RuleInfo> all_rules() { return kRules; }

}  // namespace inkan::lint
