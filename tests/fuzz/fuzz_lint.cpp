// The certificate and CRL linter on arbitrary bytes: its strict DER reader must reject anything
// malformed with a finding, never an exception or a read out of bounds. The first byte picks the
// mode, so one corpus drives both entry points, with and without an issuer.
#include <exception>

#include "ca/lint/certificate_lint.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace inkan::lint;
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  inkan::Bytes der(data + 1, data + size);
  try {
    LintReport report;
    if (mode & 1) {
      report = lint_crl(der, (mode & 2) ? std::optional<inkan::Bytes>(der) : std::nullopt);
    } else {
      report = lint_certificate(der, (mode & 2) ? std::optional<inkan::Bytes>(der) : std::nullopt,
                                LintOptions{.verify_signature = (mode & 4) != 0});
    }
    (void)report.describe();
    if (der.empty()) FUZZ_CHECK(report.has_errors());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    FUZZ_CHECK(!"the linter threw instead of reporting");
  } catch (...) {
    FUZZ_CHECK(!"the linter threw instead of reporting");
  }
  return 0;
}
