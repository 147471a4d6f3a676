#include "ca/crypto/x509/csr_request.hpp"

#include <botan/pkcs10.h>
#include <botan/x509self.h>

#include "ca/crypto/rng.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {

Bytes create_ca_csr(const DistinguishedName& subject, const PrivateKey& key, Rng& rng) {
  try {
    Botan::X509_Cert_Options opts;
    opts.common_name = subject.common_name;
    opts.organization = subject.organization;
    opts.CA_key(0);
    const std::string hash = key.type() == KeyType::EcP384 ? "SHA-384" : "SHA-256";
    return Botan::X509::create_cert_req(opts, key.botan(), hash, rng.botan()).BER_encode();
  } catch (const std::exception& e) {
    throw Error(ErrorCode::Crypto, std::string("creating the CSR failed: ") + e.what());
  }
}

}  // namespace inkan::crypto
