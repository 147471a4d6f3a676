#pragma once
// Turning option text into domain values, with errors that name the option.
#include <optional>
#include <string>

#include "ca/domain/enums.hpp"
#include "ca/domain/serial.hpp"
#include "ca/domain/time.hpp"

namespace inkan::cli {

KeyType parse_key_option(const std::string& option, const std::string& text);
CertKind parse_kind_option(const std::string& text);
P12Profile parse_profile_option(const std::string& text);
std::optional<Validity> parse_validity_option(const std::string& text);    // empty = default
std::optional<Timestamp> parse_not_before_option(const std::string& text); // empty = now

// The choices string for --format options, e.g. "table|json".
inline constexpr const char* kFormatHelp = "Output format";

}  // namespace inkan::cli
