#include "ca/domain/serial.hpp"

#include "ca/domain/error.hpp"

namespace inkan {

Serial Serial::from_bytes(std::vector<std::uint8_t> bytes) {
  std::size_t lead = 0;
  while (lead < bytes.size() && bytes[lead] == 0) ++lead;
  bytes.erase(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(lead));
  if (bytes.empty()) throw Error(ErrorCode::InvalidArgument, "serial must be positive");
  // DER adds a 0x00 octet when the top bit is set; the encoded INTEGER must fit in 20 octets.
  std::size_t der_len = bytes.size() + ((bytes[0] & 0x80) ? 1 : 0);
  if (der_len > 20) throw Error(ErrorCode::InvalidArgument, "serial longer than 20 octets");
  return Serial(std::move(bytes));
}

Serial Serial::parse(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == ':') continue;
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex)
      throw Error(ErrorCode::InvalidArgument,
                  "invalid serial '" + std::string(text) + "': expected hexadecimal digits");
    digits += c;
  }
  if (digits.empty() || digits.size() > 42)
    throw Error(ErrorCode::InvalidArgument, "invalid serial '" + std::string(text) + "'");
  if (digits.size() % 2) digits.insert(digits.begin(), '0');
  auto val = [](char c) -> std::uint8_t {
    if (c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
    return static_cast<std::uint8_t>(c - 'a' + 10);
  };
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i < digits.size(); i += 2)
    bytes.push_back(static_cast<std::uint8_t>(val(digits[i]) << 4 | val(digits[i + 1])));
  try {
    return from_bytes(std::move(bytes));
  } catch (const Error& e) {
    throw Error(ErrorCode::InvalidArgument, "invalid serial '" + std::string(text) + "': " + e.what());
  }
}

std::string Serial::hex() const {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes_.size() * 2);
  for (auto b : bytes_) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace inkan
