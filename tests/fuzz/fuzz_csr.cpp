// CSR ingestion: parse_csr on arbitrary bytes (PEM or DER). It either throws inkan::Error or
// returns a request whose key is non-empty and whose subject fits the CSR bound.
#include <string_view>

#include "ca/crypto/x509/csr.hpp"
#include "ca/domain/error.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto info = inkan::crypto::parse_csr(text);
    FUZZ_CHECK(!info.public_key_der.empty());
    FUZZ_CHECK(size <= inkan::crypto::kMaxCsrBytes);
  } catch (const inkan::Error&) {
  }
  return 0;
}
