#pragma once
// A certificate's SHA-1 thumbprint as Windows shows it in its certificate dialogs and in the
// security warning before it trusts a root ("Thumbprint (sha1)"), so a user can compare the two.
#include <string>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

// Upper-case hex of SHA-1(DER), in groups of eight separated by spaces.
std::string windows_thumbprint(const Bytes& cert_der);

}  // namespace inkan::crypto
