#include "ca/lint/der_reader.hpp"

#include <cstdio>

namespace inkan::lint {
namespace {

std::string hex_tag(std::uint8_t t) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", t);
  return buf;
}

}  // namespace

std::optional<std::uint8_t> DerReader::peek_tag() const {
  if (at_end()) return std::nullopt;
  return data_[pos_];
}

Tlv DerReader::next() {
  const std::size_t start = pos_;
  auto fail = [&](const std::string& why) {
    return DerError(what_ + ": " + why + " at offset " + std::to_string(start));
  };
  if (data_.size() - pos_ < 2) throw fail("truncated element");
  const std::uint8_t t = data_[pos_++];
  if ((t & 0x1F) == 0x1F) throw fail("multi-octet tag");
  std::size_t length = data_[pos_++];
  if (length == 0x80) throw fail("indefinite length (BER, not DER)");
  if (length > 0x80) {
    const std::size_t octets = length & 0x7F;
    if (octets > 4) throw fail("length of more than 4 octets");
    if (data_.size() - pos_ < octets) throw fail("truncated length");
    if (data_[pos_] == 0) throw fail("length with a leading zero octet");
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | data_[pos_++];
    if (length < 0x80) throw fail("long-form length for a short value");
  }
  if (data_.size() - pos_ < length) throw fail("length beyond the data");
  Tlv tlv{t, data_.subspan(pos_, length), data_.subspan(start, pos_ - start + length)};
  pos_ += length;
  return tlv;
}

Tlv DerReader::next(std::uint8_t expected_tag) {
  auto t = peek_tag();
  if (!t) throw DerError(what_ + ": expected tag " + hex_tag(expected_tag) + ", found the end");
  if (*t != expected_tag)
    throw DerError(what_ + ": expected tag " + hex_tag(expected_tag) + ", found " + hex_tag(*t) + " at offset " +
                   std::to_string(pos_));
  return next();
}

std::optional<Tlv> DerReader::next_if(std::uint8_t t) {
  if (peek_tag() != t) return std::nullopt;
  return next();
}

void DerReader::expect_end() const {
  if (!at_end()) throw DerError(what_ + ": " + std::to_string(data_.size() - pos_) + " unexpected trailing octets");
}

Tlv read_single(ByteView data, std::uint8_t t, const std::string& what) {
  DerReader r(data, what);
  auto tlv = r.next(t);
  r.expect_end();
  return tlv;
}

std::string oid_text(ByteView c) {
  if (c.empty()) throw DerError("empty OBJECT IDENTIFIER");
  if (c.back() & 0x80) throw DerError("truncated OBJECT IDENTIFIER");
  std::string out;
  std::uint64_t value = 0;
  bool first = true, fresh = true;
  for (auto b : c) {
    if (fresh && b == 0x80) throw DerError("OBJECT IDENTIFIER arc with a leading 0x80");
    if (value > (UINT64_MAX >> 7)) throw DerError("OBJECT IDENTIFIER arc too large");
    value = (value << 7) | (b & 0x7F);
    fresh = false;
    if (b & 0x80) continue;
    if (first) {
      const std::uint64_t top = value < 40 ? 0 : value < 80 ? 1 : 2;
      out = std::to_string(top) + "." + std::to_string(value - top * 40);
      first = false;
    } else {
      out += "." + std::to_string(value);
    }
    value = 0;
    fresh = true;
  }
  return out;
}

bool boolean_value(ByteView c) {
  if (c.size() != 1 || (c[0] != 0x00 && c[0] != 0xFF)) throw DerError("BOOLEAN not encoded as 0x00 or 0xFF");
  return c[0] == 0xFF;
}

ByteView bit_string_octets(ByteView c) {
  if (c.empty()) throw DerError("empty BIT STRING");
  if (c[0] != 0) throw DerError("BIT STRING with unused bits where whole octets are required");
  return c.subspan(1);
}

}  // namespace inkan::lint
