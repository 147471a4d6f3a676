#pragma once
// Checks on certificates that come back from elsewhere (an offline root's signature).
#include "ca/domain/records.hpp"

namespace inkan::crypto {

// True when `cert_der` names `issuer_der`'s subject as its issuer and carries a valid
// signature by its key. Throws Error(InvalidArgument) when either is not a certificate.
bool is_signed_by(const Bytes& cert_der, const Bytes& issuer_der);

// True for a CA certificate allowed to sign certificates (basicConstraints CA:TRUE and, when
// keyUsage is present, keyCertSign).
bool may_sign_certificates(const Bytes& cert_der);

enum class SignedObject { Certificate, Crl };

// True when the certificate or CRL `signed_der` carries a valid signature by the key of
// `issuer_der`. Names are not compared (the linter reports them on its own); anything that does
// not parse or verify is false.
bool signature_verifies(const Bytes& signed_der, SignedObject kind, const Bytes& issuer_der);

}  // namespace inkan::crypto
