#pragma once
// What administrators may type: usernames, passwords and certificate notes (issue 5).
#include <string_view>

namespace inkan::policy {

inline constexpr std::size_t kMinAdminPasswordLength = 12;   // characters (code points)
inline constexpr std::size_t kMaxAdminPasswordBytes = 1024;  // bounds the Argon2 input
inline constexpr std::size_t kMaxNotesLength = 2000;         // characters

// 3 to 64 of [a-z0-9._@-], starting with a letter or digit: safe in URLs, logs and CSV, and
// one spelling per account (no case folding surprises). Throws Error(InvalidArgument).
void validate_admin_username(std::string_view username);

// At least 12 characters, at most 1024 octets, valid UTF-8 without control characters, and not
// the username itself. Throws Error(InvalidArgument) without echoing the password.
void validate_admin_password(std::string_view password, std::string_view username);

// Free text of at most 2,000 characters; newlines and tabs allowed, other controls not.
void validate_notes(std::string_view notes);

}  // namespace inkan::policy
