#pragma once
// A certificate serial number: positive, 1..20 octets (RFC 5280 §4.1.2.2).
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace inkan {

class Serial {
 public:
  // Big-endian magnitude; leading zero octets are dropped. Throws InvalidArgument when empty,
  // zero or longer than 20 octets.
  static Serial from_bytes(std::vector<std::uint8_t> bytes);
  // Hex in any case, with or without colons ("0a:1B" == "0A1B"). Throws InvalidArgument.
  static Serial parse(std::string_view text);

  // Uppercase hex without separators, as `openssl x509 -serial` prints it.
  std::string hex() const;
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

  friend auto operator<=>(const Serial&, const Serial&) = default;

 private:
  explicit Serial(std::vector<std::uint8_t> b) : bytes_(std::move(b)) {}
  std::vector<std::uint8_t> bytes_;
};

}  // namespace inkan
