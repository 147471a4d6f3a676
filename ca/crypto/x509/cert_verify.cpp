#include "ca/crypto/x509/cert_verify.hpp"

#include <botan/pk_keys.h>
#include <botan/x509_dn.h>
#include <botan/x509_crl.h>
#include <botan/x509cert.h>

#include <memory>

#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {

Botan::X509_Certificate parse(const Bytes& der) {
  try {
    return Botan::X509_Certificate(der);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::InvalidArgument, std::string("not a certificate: ") + e.what());
  }
}

}  // namespace

bool is_signed_by(const Bytes& cert_der, const Bytes& issuer_der) {
  auto cert = parse(cert_der);
  auto issuer = parse(issuer_der);
  if (!(cert.issuer_dn() == issuer.subject_dn())) return false;
  std::unique_ptr<Botan::Public_Key> key(issuer.subject_public_key());
  try {
    return cert.check_signature(*key);
  } catch (const std::exception&) {
    return false;  // an unsupported or mismatched algorithm is simply not our signature
  }
}

bool may_sign_certificates(const Bytes& cert_der) {
  auto cert = parse(cert_der);
  return cert.is_CA_cert() && cert.allowed_usage(Botan::KEY_CERT_SIGN);
}

bool signature_verifies(const Bytes& signed_der, SignedObject kind, const Bytes& issuer_der) {
  try {
    Botan::X509_Certificate issuer(issuer_der);
    std::unique_ptr<Botan::Public_Key> key(issuer.subject_public_key());
    if (kind == SignedObject::Crl) return Botan::X509_CRL(signed_der).check_signature(*key);
    return Botan::X509_Certificate(signed_der).check_signature(*key);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace inkan::crypto
