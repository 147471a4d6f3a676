#pragma once
// The delegated OCSP responder certificate (RFC 6960 §4.2.2.2): one per CA whose key inkan
// holds, so the CA key signs about once a week and the responder key signs every response.
#include <chrono>

#include "ca/domain/cert_template.hpp"

namespace inkan::policy {

// Short: a stolen responder key signs "good" only until this ends, since id-pkix-ocsp-nocheck
// tells clients not to check the responder certificate itself for revocation.
inline constexpr std::chrono::days kOcspResponderLifetime{7};
// Reissued when fewer than this remain, so one is always valid well past any nextUpdate.
inline constexpr std::chrono::days kOcspResponderRenewBefore{2};
// notBefore lies this far back, for relying parties whose clocks run a little behind.
inline constexpr std::chrono::minutes kOcspResponderBackdate{10};

// CN = "<CA's CN> OCSP Responder", O = the CA's O; CA:FALSE critical, keyUsage
// digitalSignature critical, EKU id-kp-OCSPSigning only, id-pkix-ocsp-nocheck, SKI/AKI.
// The caller bounds notAfter by the CA (check_within_issuer).
CertificateTemplate ocsp_responder_template(const DistinguishedName& ca_subject, const Serial& serial,
                                            Timestamp not_before, Timestamp not_after);

}  // namespace inkan::policy
