#pragma once
// Closed sets of the domain, with their canonical spelling (CLI, JSON and database use the same).
#include <optional>
#include <string_view>

namespace inkan {

enum class KeyType { Rsa2048, Rsa3072, Rsa4096, EcP256, EcP384 };
// TenantAdmin and Operator certificates log in to the management site, each only the account it
// is bound to (issue 14 item 4); Operator ones are issued from the CLI only.
enum class CertKind { Terminal, TenantAdmin, Operator };
enum class P12Profile { Compat, Modern };
enum class CaRole { Root, Issuing };

// What the store records. "expired" is never stored: it is derived from time at each read.
enum class CertState { Reserved, Active, Superseded, Revoked };
// What users see.
enum class CertStatus { Active, Superseded, Expired, Revoked };

// RFC 5280 §5.3.1 CRLReason codes (7 is unused by the RFC).
enum class RevocationReason {
  Unspecified = 0,
  KeyCompromise = 1,
  CaCompromise = 2,
  AffiliationChanged = 3,
  Superseded = 4,
  CessationOfOperation = 5,
  CertificateHold = 6,
  RemoveFromCrl = 8,
  PrivilegeWithdrawn = 9,
  AaCompromise = 10,
};

std::string_view to_string(KeyType v);
std::string_view to_string(CertKind v);
std::string_view to_string(P12Profile v);
std::string_view to_string(CaRole v);
std::string_view to_string(CertState v);
std::string_view to_string(CertStatus v);
std::string_view to_string(RevocationReason v);

// Parsers return nullopt for an unknown spelling; callers name the field in their error.
std::optional<KeyType> parse_key_type(std::string_view s);
std::optional<CertKind> parse_cert_kind(std::string_view s);
std::optional<P12Profile> parse_p12_profile(std::string_view s);
std::optional<CaRole> parse_ca_role(std::string_view s);
std::optional<CertState> parse_cert_state(std::string_view s);
std::optional<CertStatus> parse_cert_status(std::string_view s);
std::optional<RevocationReason> parse_revocation_reason(std::string_view s);

// The spellings accepted by a parser, for help texts and error messages ("a|b|c").
std::string_view key_type_choices();
std::string_view cert_kind_choices();
std::string_view p12_profile_choices();
std::string_view cert_status_choices();
std::string_view revocation_reason_choices();

bool is_rsa(KeyType v);

}  // namespace inkan
