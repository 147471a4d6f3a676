#pragma once
// Rules for names users type and names we write to disk.
#include <string>
#include <string_view>

#include "ca/domain/serial.hpp"
#include "ca/policy/download_name.hpp"
#include "ca/domain/time.hpp"

namespace inkan::policy {

// [a-z0-9][a-z0-9_-]{0,62}: safe in file names, URLs and CSV. Throws InvalidArgument.
void validate_tenant_id(std::string_view id);
// 1..64 characters (RFC 5280 ub-common-name), valid UTF-8, no control characters (C0, DEL, C1),
// no bidirectional controls, nothing above U+FFFF (the p12 friendlyName is a BMPString).
void validate_common_name(std::string_view cn);
// 1..256 characters of valid UTF-8 without control characters.
void validate_display_name(std::string_view name, std::string_view field);
// A plain addr-spec local@domain, ASCII, no spaces.
void validate_email(std::string_view email);
// http:// or https:// URI of printable ASCII without spaces.
void validate_crl_url(std::string_view url);
// The OCSP responder's URL for authorityInfoAccess: http:// (RFC 6960 §A.1; a TLS client
// checking revocation cannot depend on another TLS connection), printable ASCII.
void validate_ocsp_url(std::string_view url);

// "<CN> (<issue date>)": old and new certificates can be told apart in a certificate picker.
std::string friendly_name(std::string_view cn, Timestamp issued_at);

// credential_file_stem and download_file_stem (the file names of a credential): download_name.hpp.

}  // namespace inkan::policy
