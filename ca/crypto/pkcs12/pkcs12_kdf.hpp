#pragma once
// The PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-1, as the compat profile's
// pbeWithSHAAnd3-KeyTripleDES-CBC and its HMAC-SHA1 MAC use it. OpenSSL 3.0 has one
// (PKCS12_key_gen_utf8_ex), but it re-initialises an EVP digest on each of the 2048 iterations:
// callgrind counted 26 M of the 42 M instructions of a whole ec-p256 credential in it, more than
// key generation and signature together. This one hashes with Botan's SHA-1 and gives the same
// bytes (checked against OpenSSL in tests/unit/pkcs12_kdf_test.cpp).
#include <cstdint>
#include <string_view>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

enum class Pkcs12KdfPurpose : std::uint8_t { Key = 1, Iv = 2, Mac = 3 };  // RFC 7292 "ID"

// `password` is printable ASCII (build_pkcs12 checks it); it is taken as a BMPString with its
// two-octet terminator, as OpenSSL and Windows do.
Bytes pkcs12_kdf_sha1(std::string_view password, const Bytes& salt, int iterations, Pkcs12KdfPurpose purpose,
                      std::size_t length);

}  // namespace inkan::crypto
