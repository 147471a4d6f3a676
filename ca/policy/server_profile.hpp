#pragma once
// The TLS server certificate of `inkan serve`: serverAuth only, for the names it is reached by.
#include <string>
#include <vector>

#include "ca/domain/cert_template.hpp"

namespace inkan::policy {

// One year: the server certificate is renewed automatically well before it ends.
inline constexpr Validity kDefaultServerValidity{1, 0, 0};

// Which SAN a host name goes to. Only DNS names and IPv4 addresses are supported (Botan 2
// cannot encode an IPv6 SAN); anything else is refused by validate_server_hostname.
enum class HostnameKind { Dns, Ipv4 };

// Throws Error(InvalidArgument) naming the text for an empty, oversized or malformed name.
HostnameKind validate_server_hostname(const std::string& name);

// CN = the first host name, CA:FALSE critical, keyUsage digitalSignature (+ keyEncipherment
// for RSA) critical, EKU serverAuth only, SAN = every host name. The caller bounds notAfter by
// the issuing CA (check_within_issuer).
CertificateTemplate server_template(const std::vector<std::string>& hostnames, const Serial& serial,
                                    Timestamp not_before, Timestamp not_after, bool rsa_key);

}  // namespace inkan::policy
