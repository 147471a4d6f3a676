#pragma once
// Bearer secrets of the management site (session tokens, CSRF tokens): 256 random bits as
// lowercase hex. Only the SHA-256 of a session token is ever stored.
#include <string>
#include <string_view>

namespace inkan::crypto {

class Rng;

inline constexpr std::size_t kTokenBytes = 32;

std::string random_token(Rng& rng);  // 64 lowercase hex characters

// Lowercase hex SHA-256 of the token text: the session's key in the database.
std::string token_digest(std::string_view token);

}  // namespace inkan::crypto
