#include "ca/domain/enums.hpp"

#include <array>
#include <utility>

namespace inkan {
namespace {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<KeyType, 5> kKeyTypes{{{KeyType::Rsa2048, "rsa-2048"},
                                       {KeyType::Rsa3072, "rsa-3072"},
                                       {KeyType::Rsa4096, "rsa-4096"},
                                       {KeyType::EcP256, "ec-p256"},
                                       {KeyType::EcP384, "ec-p384"}}};
constexpr Table<CertKind, 3> kKinds{{{CertKind::Terminal, "terminal"},
                                     {CertKind::TenantAdmin, "tenant-admin"},
                                     {CertKind::Operator, "operator"}}};
constexpr Table<P12Profile, 2> kProfiles{{{P12Profile::Compat, "compat"},
                                          {P12Profile::Modern, "modern"}}};
constexpr Table<CaRole, 2> kRoles{{{CaRole::Root, "root"}, {CaRole::Issuing, "issuing"}}};
constexpr Table<CertState, 4> kStates{{{CertState::Reserved, "reserved"},
                                       {CertState::Active, "active"},
                                       {CertState::Superseded, "superseded"},
                                       {CertState::Revoked, "revoked"}}};
constexpr Table<CertStatus, 4> kStatuses{{{CertStatus::Active, "active"},
                                          {CertStatus::Superseded, "superseded"},
                                          {CertStatus::Expired, "expired"},
                                          {CertStatus::Revoked, "revoked"}}};
constexpr Table<RevocationReason, 10> kReasons{{
    {RevocationReason::Unspecified, "unspecified"},
    {RevocationReason::KeyCompromise, "keyCompromise"},
    {RevocationReason::CaCompromise, "cACompromise"},
    {RevocationReason::AffiliationChanged, "affiliationChanged"},
    {RevocationReason::Superseded, "superseded"},
    {RevocationReason::CessationOfOperation, "cessationOfOperation"},
    {RevocationReason::CertificateHold, "certificateHold"},
    {RevocationReason::RemoveFromCrl, "removeFromCRL"},
    {RevocationReason::PrivilegeWithdrawn, "privilegeWithdrawn"},
    {RevocationReason::AaCompromise, "aACompromise"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const Table<E, N>& table, E v) {
  for (const auto& [e, s] : table)
    if (e == v) return s;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> parse_in(const Table<E, N>& table, std::string_view s) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}

// Case-insensitive match, because RFC 5280 reason names are camelCase and people type lowercase.
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(KeyType v) { return name_of(kKeyTypes, v); }
std::string_view to_string(CertKind v) { return name_of(kKinds, v); }
std::string_view to_string(P12Profile v) { return name_of(kProfiles, v); }
std::string_view to_string(CaRole v) { return name_of(kRoles, v); }
std::string_view to_string(CertState v) { return name_of(kStates, v); }
std::string_view to_string(CertStatus v) { return name_of(kStatuses, v); }
std::string_view to_string(RevocationReason v) { return name_of(kReasons, v); }

std::optional<KeyType> parse_key_type(std::string_view s) { return parse_in(kKeyTypes, s); }
std::optional<CertKind> parse_cert_kind(std::string_view s) { return parse_in(kKinds, s); }
std::optional<P12Profile> parse_p12_profile(std::string_view s) { return parse_in(kProfiles, s); }
std::optional<CaRole> parse_ca_role(std::string_view s) { return parse_in(kRoles, s); }
std::optional<CertState> parse_cert_state(std::string_view s) { return parse_in(kStates, s); }
std::optional<CertStatus> parse_cert_status(std::string_view s) { return parse_in(kStatuses, s); }
std::optional<RevocationReason> parse_revocation_reason(std::string_view s) {
  for (const auto& [e, name] : kReasons)
    if (iequals(name, s)) return e;
  return std::nullopt;
}

std::string_view key_type_choices() { return "rsa-2048|rsa-3072|rsa-4096|ec-p256|ec-p384"; }
std::string_view cert_kind_choices() { return "terminal|tenant-admin|operator"; }
std::string_view p12_profile_choices() { return "compat|modern"; }
std::string_view cert_status_choices() { return "active|superseded|expired|revoked"; }
std::string_view revocation_reason_choices() {
  // removeFromCRL is not offered: it only has a meaning in delta CRLs, which inkan does not publish.
  return "unspecified|keyCompromise|cACompromise|affiliationChanged|superseded|"
         "cessationOfOperation|certificateHold|privilegeWithdrawn|aACompromise";
}

bool is_rsa(KeyType v) {
  return v == KeyType::Rsa2048 || v == KeyType::Rsa3072 || v == KeyType::Rsa4096;
}

}  // namespace inkan
