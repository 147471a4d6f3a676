#include "ca/service/security_digest.hpp"

namespace inkan::service {
namespace {

constexpr std::string_view kPurpose = "security-tables";

std::string digest_of(const crypto::DataKey& key, std::string_view table, std::string_view rows) {
  // The table's name is part of the message: one table's rows cannot pass for another's.
  std::string message(table);
  message += '\n';
  message += rows;
  return key.mac_hex(kPurpose, message);
}

}  // namespace

void install_security_sealer(Store& store, const crypto::DataKey& key) {
  // A copy: the sealer lives as long as the store, a Keyring may move or end first.
  store.security_tables().set_sealer(
      [key](std::string_view table, std::string_view rows) { return digest_of(key, table, rows); });
}

std::vector<SecurityTableCheck> check_security_tables(Store& store, const crypto::DataKey& key) {
  auto& tables = store.security_tables();
  const auto stored = tables.digests();
  std::vector<SecurityTableCheck> out;
  for (const auto& t : tables.tables()) {
    SecurityTableCheck c{t};
    const auto it = stored.find(t);
    if (it == stored.end()) c.result = SecurityTableCheck::Result::NeverSealed;
    else if (!crypto::constant_time_equal(it->second, digest_of(key, t, tables.rows(t))))
      c.result = SecurityTableCheck::Result::Differs;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace inkan::service
