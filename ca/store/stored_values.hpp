#pragma once
// Reading values back as both store backends store them (enum spellings, RFC 5280 reason codes),
// so a value means the same on SQLite and PostgreSQL and an unknown one is refused alike.
#include <cstdint>
#include <string>
#include <string_view>

#include "ca/domain/enums.hpp"
#include "ca/domain/error.hpp"
#include "ca/domain/records.hpp"

namespace inkan {

// A stored enum spelling; an unknown one means the row was edited or written by a newer inkan.
template <typename Enum, typename Parser>
Enum parse_stored(const std::string& text, Parser parse, std::string_view what) {
  if (auto v = parse(text)) return *v;
  throw Error(ErrorCode::Integrity, "database holds an unknown " + std::string(what) + " '" + text + "'");
}

// Reasons are stored as their RFC 5280 code (what the CRL carries), checked against the enum.
inline RevocationReason stored_revocation_reason(std::int64_t code) {
  const auto reason = static_cast<RevocationReason>(code);
  if (!parse_revocation_reason(to_string(reason)))
    throw Error(ErrorCode::Integrity, "database holds an unknown revocation reason code " + std::to_string(code));
  return reason;
}

// "certificate 0A1B", the way the stores' messages name a certificate.
inline std::string cert_label(const Serial& s) { return "certificate " + s.hex(); }

}  // namespace inkan
