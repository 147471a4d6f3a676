#include "ca/crypto/pkcs12/pkcs12_kdf.hpp"

#include <botan/hash.h>

#include <algorithm>

#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {

constexpr std::size_t kU = 20;  // SHA-1 output
constexpr std::size_t kV = 64;  // SHA-1 block

// `source` repeated to the next multiple of kV octets (empty stays empty).
Bytes fill_blocks(const Bytes& source) {
  Bytes out;
  if (source.empty()) return out;
  const std::size_t n = kV * ((source.size() + kV - 1) / kV);
  out.resize(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = source[i % source.size()];
  return out;
}

}  // namespace

Bytes pkcs12_kdf_sha1(std::string_view password, const Bytes& salt, int iterations, Pkcs12KdfPurpose purpose,
                      std::size_t length) {
  if (iterations < 1) throw Error(ErrorCode::InvalidArgument, "PKCS#12 KDF: iterations must be positive");
  Bytes bmp;  // BMPString, big-endian, with the terminating U+0000
  bmp.reserve(password.size() * 2 + 2);
  for (char c : password) {
    bmp.push_back(0);
    bmp.push_back(static_cast<std::uint8_t>(c));
  }
  bmp.push_back(0);
  bmp.push_back(0);

  const Bytes d(kV, static_cast<std::uint8_t>(purpose));
  Bytes i = fill_blocks(salt);
  const Bytes p = fill_blocks(bmp);
  i.insert(i.end(), p.begin(), p.end());

  auto sha1 = Botan::HashFunction::create_or_throw("SHA-1");
  Bytes out;
  out.reserve(length + kU);
  std::uint8_t a[kU];
  for (;;) {
    sha1->update(d.data(), d.size());
    sha1->update(i.data(), i.size());
    sha1->final(a);
    for (int r = 1; r < iterations; ++r) {
      sha1->update(a, kU);
      sha1->final(a);
    }
    out.insert(out.end(), a, a + kU);
    if (out.size() >= length) break;
    // I_j = (I_j + B + 1) mod 2^(8v) for each v-octet block of I, with B = A repeated.
    std::uint8_t b[kV];
    for (std::size_t k = 0; k < kV; ++k) b[k] = a[k % kU];
    for (std::size_t j = 0; j < i.size(); j += kV) {
      unsigned carry = 1;
      for (std::size_t k = kV; k-- > 0;) {
        carry += static_cast<unsigned>(i[j + k]) + b[k];
        i[j + k] = static_cast<std::uint8_t>(carry);
        carry >>= 8;
      }
    }
  }
  out.resize(length);
  return out;
}

}  // namespace inkan::crypto
