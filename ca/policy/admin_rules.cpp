#include "ca/policy/admin_rules.hpp"

#include <string>

#include "ca/domain/error.hpp"

namespace inkan::policy {
namespace {

// Code points of valid UTF-8, or -1. Controls other than those in `allowed` count as invalid.
long utf8_length(std::string_view s, std::string_view allowed_controls) {
  long n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return -1;
    if (len == 1 && (c < 0x20 || c == 0x7F) && allowed_controls.find(static_cast<char>(c)) == std::string_view::npos)
      return -1;
    i += len;
    ++n;
  }
  return n;
}

}  // namespace

void validate_admin_username(std::string_view u) {
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' ||
           c == '-';
  };
  bool ok = u.size() >= 3 && u.size() <= 64 && ((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= '0' && u[0] <= '9'));
  for (char c : u) ok = ok && ok_char(c);
  if (!ok)
    throw Error(ErrorCode::InvalidArgument,
                "username: '" + std::string(u.substr(0, 64)) +
                    "' must be 3 to 64 of a-z 0-9 . _ @ -, starting with a letter or digit");
}

void validate_admin_password(std::string_view password, std::string_view username) {
  if (password.size() > kMaxAdminPasswordBytes)
    throw Error(ErrorCode::InvalidArgument, "password: at most 1024 octets");
  const long n = utf8_length(password, "");
  if (n < 0)
    throw Error(ErrorCode::InvalidArgument, "password: must be UTF-8 text without control characters");
  if (static_cast<std::size_t>(n) < kMinAdminPasswordLength)
    throw Error(ErrorCode::InvalidArgument, "password: must be at least 12 characters");
  if (password == username)
    throw Error(ErrorCode::InvalidArgument, "password: must not be the username");
}

void validate_notes(std::string_view notes) {
  const long n = utf8_length(notes, "\n\r\t");
  if (n < 0) throw Error(ErrorCode::InvalidArgument, "notes: must be UTF-8 text without control characters");
  if (static_cast<std::size_t>(n) > kMaxNotesLength)
    throw Error(ErrorCode::InvalidArgument, "notes: at most 2000 characters");
}

}  // namespace inkan::policy
