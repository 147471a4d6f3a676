#include "ca/crypto/x509/thumbprint.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

namespace inkan::crypto {

std::string windows_thumbprint(const Bytes& cert_der) {
  auto sha1 = Botan::HashFunction::create_or_throw("SHA-1");
  auto digest = sha1->process(cert_der.data(), cert_der.size());
  const std::string hex = Botan::hex_encode(digest.data(), digest.size(), true);
  std::string grouped;
  for (std::size_t i = 0; i < hex.size(); i += 8) grouped += (i ? " " : "") + hex.substr(i, 8);
  return grouped;
}

}  // namespace inkan::crypto
