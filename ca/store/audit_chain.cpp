#include "ca/store/audit_chain.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

namespace inkan {

std::string audit_hash(const AuditEvent& e) {
  const std::string text = e.prev_hash + '\n' + std::to_string(e.seq) + '\n' +
                           std::to_string(e.at.time_since_epoch().count()) + '\n' + e.actor + '\n' +
                           e.action + '\n' + e.object + '\n' + e.detail;
  auto sha256 = Botan::HashFunction::create_or_throw("SHA-256");
  sha256->update(text);
  return Botan::hex_encode(sha256->final(), false);
}

std::optional<AuditChainWalk::Break> AuditChainWalk::next(const AuditEvent& e) {
  ++entries_;
  if (e.seq != expected_seq_)
    return Break{e.seq, "entry " + std::to_string(expected_seq_) + " is missing before entry " + std::to_string(e.seq)};
  if (e.prev_hash != expected_prev_)
    return Break{e.seq, "entry " + std::to_string(e.seq) + " does not link to the entry before"};
  if (audit_hash(e) != e.hash) return Break{e.seq, "entry " + std::to_string(e.seq) + " was altered (hash mismatch)"};
  expected_prev_ = e.hash;
  ++expected_seq_;
  return std::nullopt;
}

}  // namespace inkan
