#include "ca/store/sqlite/audit/audit_chain.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

#include "ca/store/sqlite/columns.hpp"

namespace inkan::sqlite {

std::string audit_hash(const AuditEvent& e) {
  const std::string text = e.prev_hash + '\n' + std::to_string(e.seq) + '\n' +
                           std::to_string(unix_seconds(e.at)) + '\n' + e.actor + '\n' +
                           e.action + '\n' + e.object + '\n' + e.detail;
  auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
  sha256->update(text);
  return Botan::hex_encode(sha256->final(), false);
}

}  // namespace inkan::sqlite
