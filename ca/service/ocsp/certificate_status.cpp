#include "ca/service/ocsp/certificate_status.hpp"

#include "ca/crypto/x509/certificate.hpp"

namespace inkan::service {
namespace {

std::optional<Serial> serial_of(const Bytes& magnitude) {
  try {
    return Serial::from_bytes(magnitude);
  } catch (const std::exception&) {
    return std::nullopt;  // zero, empty (negative) or longer than 20 octets: never one of ours
  }
}

}  // namespace

CertificateStatusAnswer certificate_status(Store& store, const CaRecord& issuer, const Bytes& serial_magnitude) {
  CertificateStatusAnswer out;
  auto serial = serial_of(serial_magnitude);
  if (!serial) return out;
  if (issuer.role == CaRole::Root) {
    for (const auto& ca : store.cas().list())
      if (ca.parent_id == issuer.id && ca.id != issuer.id && crypto::inspect_certificate(ca.cert_der).serial == *serial)
        out.status = OcspStatus::Good;  // inkan never revokes a CA certificate
    return out;
  }
  auto rec = store.certificates().find(*serial);
  if (!rec || rec->ca_id != issuer.id) return out;
  switch (rec->state) {
    case CertState::Reserved: return out;
    case CertState::Active:
    case CertState::Superseded: out.status = OcspStatus::Good; return out;
    case CertState::Revoked:
      out.status = OcspStatus::Revoked;
      out.revoked_at = rec->revoked_at.value_or(Timestamp{});
      out.reason = rec->revocation_reason;
      return out;
  }
  return out;
}

}  // namespace inkan::service
