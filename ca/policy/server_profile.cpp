#include "ca/policy/server_profile.hpp"

#include <regex>

#include "ca/domain/error.hpp"

namespace inkan::policy {

HostnameKind validate_server_hostname(const std::string& name) {
  static const std::regex ipv4(R"(((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d))");
  static const std::regex dns(R"(([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)");
  if (name.empty() || name.size() > 253)
    throw Error(ErrorCode::InvalidArgument, "host name '" + name + "' must be 1 to 253 characters");
  if (std::regex_match(name, ipv4)) return HostnameKind::Ipv4;
  if (std::regex_match(name, dns)) return HostnameKind::Dns;
  throw Error(ErrorCode::InvalidArgument,
              "host name '" + name + "' is neither a DNS name nor an IPv4 address (IPv6 is not supported)");
}

CertificateTemplate server_template(const std::vector<std::string>& hostnames, const Serial& serial,
                                    Timestamp not_before, Timestamp not_after, bool rsa_key) {
  if (hostnames.empty()) throw Error(ErrorCode::InvalidArgument, "a server certificate needs at least one host name");
  CertificateTemplate t;
  t.serial = serial;
  t.subject = {hostnames.front(), ""};
  t.not_before = not_before;
  t.not_after = not_after;
  t.is_ca = false;
  t.key_usage = unsigned(KeyUsage::DigitalSignature);
  if (rsa_key) t.key_usage |= unsigned(KeyUsage::KeyEncipherment);
  t.extended_key_usage = {ExtendedKeyUsage::ServerAuth};
  for (const auto& h : hostnames) {
    if (validate_server_hostname(h) == HostnameKind::Ipv4) t.san_ips.push_back(h);
    else t.san_dns.push_back(h);
  }
  return t;
}

}  // namespace inkan::policy
