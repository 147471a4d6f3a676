#include "ca/crypto/x509/csr.hpp"

#include <botan/data_src.h>
#include <botan/pkcs10.h>
#include <botan/x509_key.h>
#include <botan/x509_dn.h>

#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {

CsrInfo parse_csr(std::string_view pem_or_der) {
  if (pem_or_der.empty()) throw Error(ErrorCode::InvalidCsr, "CSR is empty");
  if (pem_or_der.size() > kMaxCsrBytes)
    throw Error(ErrorCode::InvalidCsr, "CSR is larger than " + std::to_string(kMaxCsrBytes) + " bytes");
  std::unique_ptr<Botan::PKCS10_Request> req;
  try {
    Botan::DataSource_Memory src(reinterpret_cast<const std::uint8_t*>(pem_or_der.data()), pem_or_der.size());
    req = std::make_unique<Botan::PKCS10_Request>(src);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::InvalidCsr, std::string("CSR is malformed: ") + e.what());
  }
  std::unique_ptr<Botan::Public_Key> key;
  try {
    key.reset(req->subject_public_key());
  } catch (const std::exception& e) {
    throw Error(ErrorCode::InvalidCsr, std::string("CSR public key is unreadable: ") + e.what());
  }
  auto status = req->verify_signature(*key);
  if (status != Botan::Certificate_Status_Code::VERIFIED)
    throw Error(ErrorCode::InvalidCsr, "CSR signature does not verify (" + std::string(Botan::to_string(status)) + ")");

  CsrInfo info;
  info.public_key_der = req->raw_public_key();
  info.key_type = key_type_of_public_key(info.public_key_der);
  info.subject.common_name = req->subject_dn().get_first_attribute("X520.CommonName");
  info.subject.organization = req->subject_dn().get_first_attribute("X520.Organization");
  return info;
}

}  // namespace inkan::crypto
