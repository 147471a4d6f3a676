#include "web/est/pkcs7.hpp"

#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <memory>

#include "ca/domain/error.hpp"

namespace inkan::web::est {

Bytes certs_only(const std::vector<Bytes>& certs_der) {
  std::unique_ptr<PKCS7, decltype(&PKCS7_free)> p7(PKCS7_new(), PKCS7_free);
  PKCS7_SIGNED* signed_data = PKCS7_SIGNED_new();
  if (!p7 || !signed_data) throw Error(ErrorCode::Crypto, "out of memory");
  p7->type = OBJ_nid2obj(NID_pkcs7_signed);
  p7->d.sign = signed_data;
  signed_data->contents->type = OBJ_nid2obj(NID_pkcs7_data);  // no eContent
  if (!ASN1_INTEGER_set(signed_data->version, 1)) throw Error(ErrorCode::Crypto, "PKCS#7 version");
  signed_data->cert = sk_X509_new_null();
  for (const auto& der : certs_der) {
    const unsigned char* p = der.data();
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!x || !sk_X509_push(signed_data->cert, x)) {
      X509_free(x);
      throw Error(ErrorCode::Crypto, "cannot add a certificate to PKCS#7");
    }
  }
  int len = i2d_PKCS7(p7.get(), nullptr);
  if (len <= 0) throw Error(ErrorCode::Crypto, "cannot encode PKCS#7");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* w = out.data();
  i2d_PKCS7(p7.get(), &w);
  return out;
}

}  // namespace inkan::web::est
