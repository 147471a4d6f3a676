#include "ca/crypto/x509/crl_info.hpp"

#include <botan/pkix_types.h>
#include <botan/x509_crl.h>

#include "ca/domain/error.hpp"

namespace inkan::crypto {

CrlInfo inspect_crl(const Bytes& der) {
  try {
    Botan::X509_CRL crl(der);
    CrlInfo out;
    out.number = crl.crl_number();
    out.this_update = std::chrono::floor<std::chrono::seconds>(crl.this_update().to_std_timepoint());
    out.next_update = std::chrono::floor<std::chrono::seconds>(crl.next_update().to_std_timepoint());
    out.issuer = crl.issuer_dn().to_string();
    for (const auto& e : crl.get_revoked()) out.revoked.push_back(Serial::from_bytes(e.serial_number()));
    return out;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::InvalidArgument, std::string("not a CRL: ") + e.what());
  }
}

}  // namespace inkan::crypto
