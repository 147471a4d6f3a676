#pragma once
// A strict DER reader for the linter: definite lengths in their shortest form, no trailing
// bytes, single-octet tags (all X.509 needs). It never trusts Botan's or OpenSSL's leniency,
// since what it checks is exactly what they would forgive.
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

namespace inkan::lint {

using ByteView = std::span<const std::uint8_t>;

// Universal and context tags used by X.509 (the full identifier octet).
namespace tag {
inline constexpr std::uint8_t kBoolean = 0x01, kInteger = 0x02, kBitString = 0x03, kOctetString = 0x04,
                              kNull = 0x05, kOid = 0x06, kEnumerated = 0x0A, kUtf8String = 0x0C,
                              kPrintableString = 0x13, kIa5String = 0x16, kUtcTime = 0x17,
                              kGeneralizedTime = 0x18, kSequence = 0x30, kSet = 0x31;
constexpr std::uint8_t context(unsigned n, bool constructed) {
  return static_cast<std::uint8_t>(0x80 | (constructed ? 0x20 : 0) | n);
}
}  // namespace tag

// Thrown for bytes that are not strict DER; the message says where and why.
class DerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Tlv {
  std::uint8_t tag = 0;
  ByteView content;  // the value octets
  ByteView whole;    // tag, length and value
};

class DerReader {
 public:
  explicit DerReader(ByteView data, std::string what = "DER") : data_(data), what_(std::move(what)) {}

  bool at_end() const { return pos_ == data_.size(); }
  std::optional<std::uint8_t> peek_tag() const;
  Tlv next();                          // any element
  Tlv next(std::uint8_t expected_tag);  // throws DerError naming the expected tag otherwise
  // The next element when it carries `tag`, else nothing consumed.
  std::optional<Tlv> next_if(std::uint8_t tag);
  void expect_end() const;  // throws DerError when bytes remain

 private:
  ByteView data_;
  std::size_t pos_ = 0;
  std::string what_;
};

// The whole of `data` must be exactly one element with `tag`.
Tlv read_single(ByteView data, std::uint8_t tag, const std::string& what);

// Dotted text of an OBJECT IDENTIFIER's content ("1.2.840.10045.2.1"); throws DerError.
std::string oid_text(ByteView content);
// A BOOLEAN's content: DER allows only 0x00 and 0xFF.
bool boolean_value(ByteView content);
// The bits of a BIT STRING with no unused bits (keys and signatures); throws DerError.
ByteView bit_string_octets(ByteView content);

}  // namespace inkan::lint
