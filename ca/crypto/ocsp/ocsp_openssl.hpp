#pragma once
// Ownership of the OpenSSL objects the OCSP adapter uses (ca/crypto/ocsp only).
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include <memory>

#include "ca/domain/error.hpp"
#include "ca/domain/records.hpp"

namespace inkan::crypto::ossl {

struct Deleter {
  void operator()(OCSP_REQUEST* p) const { OCSP_REQUEST_free(p); }
  void operator()(OCSP_RESPONSE* p) const { OCSP_RESPONSE_free(p); }
  void operator()(OCSP_BASICRESP* p) const { OCSP_BASICRESP_free(p); }
  void operator()(OCSP_CERTID* p) const { OCSP_CERTID_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  // ASN1_TIME, ASN1_INTEGER and ASN1_OCTET_STRING are all ASN1_STRING.
  void operator()(ASN1_STRING* p) const { ASN1_STRING_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};
template <class T>
using Ptr = std::unique_ptr<T, Deleter>;

inline Ptr<X509> parse_x509(const Bytes& der) {
  const unsigned char* p = der.data();
  Ptr<X509> x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x || p != der.data() + der.size()) throw Error(ErrorCode::Crypto, "OCSP: not a certificate");
  return x;
}

// i2d into Bytes.
template <class T, class F>
Bytes encode(const T* obj, F i2d) {
  int len = i2d(obj, nullptr);
  if (len <= 0) throw Error(ErrorCode::Crypto, "OCSP: cannot encode");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d(obj, &p);
  return out;
}

}  // namespace inkan::crypto::ossl
