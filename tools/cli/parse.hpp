#pragma once
// Turning option text into domain values, with errors that name the option.
#include <optional>
#include <string>

#include "ca/domain/enums.hpp"
#include "ca/domain/records.hpp"
#include "ca/domain/serial.hpp"
#include "ca/domain/time.hpp"

namespace inkan::cli {

KeyType parse_key_option(const std::string& option, const std::string& text);
CertKind parse_kind_option(const std::string& text);
P12Profile parse_profile_option(const std::string& text);
std::optional<Validity> parse_validity_option(const std::string& text);    // empty = default
// `--issuing-key-uri URI --pkcs11-module PATH`: nullopt when no URI; the URI is checked here
// (RFC 7512, no PIN in it) and a URI without a module is refused.
std::optional<TokenKeyRef> parse_token_option(const std::string& option, const std::string& uri,
                                              const std::string& module);
std::optional<Timestamp> parse_not_before_option(const std::string& text); // empty = now

// The choices string for --format options, e.g. "table|json".
inline constexpr const char* kFormatHelp = "Output format";

}  // namespace inkan::cli
