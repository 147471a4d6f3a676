#pragma once
// Reading a CRL that comes back from elsewhere (the offline root's, for `inkan ca import-crl`).
#include <cstdint>
#include <string>
#include <vector>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

struct CrlInfo {
  std::uint64_t number = 0;  // 0 when the CRL has no CRL number
  Timestamp this_update{};
  Timestamp next_update{};
  std::string issuer;
  std::vector<Serial> revoked;
};

// Throws Error(InvalidArgument) when `der` is not a CRL.
CrlInfo inspect_crl(const Bytes& der);

}  // namespace inkan::crypto
