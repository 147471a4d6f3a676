#include "ca/service/hex.hpp"

#include "ca/domain/error.hpp"

namespace inkan::service {

std::string hex_encode(const Bytes& b) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto v : b) {
    out += kHex[v >> 4];
    out += kHex[v & 15];
  }
  return out;
}

Bytes hex_decode(std::string_view s) {
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (s.size() % 2) throw Error(ErrorCode::Integrity, "malformed hex value in the store");
  Bytes out;
  for (std::size_t i = 0; i < s.size(); i += 2) {
    int hi = val(s[i]), lo = val(s[i + 1]);
    if (hi < 0 || lo < 0) throw Error(ErrorCode::Integrity, "malformed hex value in the store");
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

}  // namespace inkan::service
