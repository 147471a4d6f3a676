#include "ca/policy/download_name.hpp"

namespace inkan::policy {
namespace {

constexpr std::size_t kMaxCnOctets = 120;

bool refused(unsigned char c) {
  if (c < 0x20 || c == 0x7f) return true;
  for (char bad : std::string_view("/\\\"*:<>?|")) if (c == static_cast<unsigned char>(bad)) return true;
  return false;
}

}  // namespace

std::string download_file_stem(std::string_view tenant_id, std::string_view cn, const Serial& serial) {
  std::string safe;
  for (unsigned char c : cn) safe += refused(c) ? '_' : static_cast<char>(c);
  if (safe.size() > kMaxCnOctets) {
    std::size_t cut = kMaxCnOctets;
    while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    safe.resize(cut);
  }
  if (safe.empty() || safe.front() == '.') safe.insert(safe.begin(), '_');
  return std::string(tenant_id) + "_" + safe + "_" + serial.hex().substr(0, 8);
}

}  // namespace inkan::policy
