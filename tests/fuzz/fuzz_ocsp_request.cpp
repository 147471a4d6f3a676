// The OCSP request parser (ca/crypto/ocsp) and the GET path decoding in front of it
// (web/ocsp/ocsp_http.cpp): arbitrary bytes either throw inkan::Error (answered with
// malformedRequest) or yield a bounded request whose every CertID re-parses to itself.
#include <string_view>

#include "ca/crypto/ocsp/ocsp_request.hpp"
#include "ca/domain/error.hpp"
#include "tests/fuzz/fuzz_check.hpp"
#include "web/ocsp/ocsp_http.hpp"

namespace {

void check_request(const inkan::Bytes& der) {
  using namespace inkan::crypto;
  try {
    auto req = parse_ocsp_request(der);
    FUZZ_CHECK(der.size() <= kMaxOcspRequestBytes);
    FUZZ_CHECK(!req.cert_ids.empty());
    for (const auto& id : req.cert_ids) {
      FUZZ_CHECK(!id.der.empty() && id.der.size() <= der.size());
      FUZZ_CHECK(id.serial.size() <= der.size());
    }
    if (req.nonce) FUZZ_CHECK(!req.nonce->empty() && req.nonce->size() <= der.size());
  } catch (const inkan::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const inkan::Bytes der(data, data + size);
  check_request(der);
  // The same bytes as a GET path: decoded, bounded, then parsed.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto decoded = inkan::web::ocsp_request_from_path(text, inkan::crypto::kMaxOcspRequestBytes)) {
    FUZZ_CHECK(!decoded->empty() && decoded->size() <= inkan::crypto::kMaxOcspRequestBytes);
    check_request(*decoded);
  }
  return 0;
}
