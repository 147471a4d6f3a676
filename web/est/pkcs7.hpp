#pragma once
// RFC 7030 "certs-only" responses: a degenerate CMS SignedData (no signers, no content)
// carrying certificates, as `openssl crl2pkcs7 -nocrl` makes it.
#include <vector>

#include "web/http/http.hpp"

namespace inkan::web::est {

// DER of the SignedData; throws Error(Crypto) when OpenSSL fails.
Bytes certs_only(const std::vector<Bytes>& certs_der);

}  // namespace inkan::web::est
