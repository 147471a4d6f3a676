// Our PKCS#12 KDF (the compat profile's, faster than OpenSSL 3.0's) gives OpenSSL's bytes.
#include <catch2/catch_test_macros.hpp>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>

#include <string>

#include "ca/crypto/pkcs12/pkcs12_kdf.hpp"

using namespace inkan;
using inkan::crypto::Pkcs12KdfPurpose;

namespace {

Bytes openssl_kdf(const std::string& pass, Bytes salt, int iterations, int id, std::size_t n) {
  Bytes out(n);
  REQUIRE(PKCS12_key_gen_utf8(pass.c_str(), static_cast<int>(pass.size()), salt.data(), static_cast<int>(salt.size()),
                              id, iterations, static_cast<int>(n), out.data(), EVP_sha1()) == 1);
  return out;
}

}  // namespace

TEST_CASE("pkcs12_kdf_sha1 matches OpenSSL for every purpose, length and salt", "[pkcs12]") {
  const std::string pass = "AbCd-2345-wxyz-9876-KLMN";
  for (const Bytes& salt : {Bytes{1, 2, 3, 4, 5, 6, 7, 8}, Bytes(20, 0xa5), Bytes(64, 0xff), Bytes(65, 0x01)})
    for (int iterations : {1, 2, 2048})
      for (auto purpose : {Pkcs12KdfPurpose::Key, Pkcs12KdfPurpose::Iv, Pkcs12KdfPurpose::Mac})
        for (std::size_t n : {8u, 20u, 24u, 32u, 41u, 100u}) {
          INFO("salt " << salt.size() << " iterations " << iterations << " id " << static_cast<int>(purpose) << " n " << n);
          CHECK(crypto::pkcs12_kdf_sha1(pass, salt, iterations, purpose, n) ==
                openssl_kdf(pass, salt, iterations, static_cast<int>(purpose), n));
        }
  // A password longer than one block, and the shortest one.
  const std::string long_pass(70, 'q');
  const Bytes salt{9, 8, 7, 6, 5, 4, 3, 2};
  CHECK(crypto::pkcs12_kdf_sha1(long_pass, salt, 2048, Pkcs12KdfPurpose::Key, 24) ==
        openssl_kdf(long_pass, salt, 2048, 1, 24));
  CHECK(crypto::pkcs12_kdf_sha1("x", salt, 3, Pkcs12KdfPurpose::Mac, 20) == openssl_kdf("x", salt, 3, 3, 20));
}
