#include "ca/domain/admin.hpp"

#include <array>
#include <utility>

namespace inkan {
namespace {

// One table per enum: the spelling is shared by the database, JSON and the CLI.
constexpr std::array<std::pair<AdminRole, std::string_view>, 2> kRoles{{
    {AdminRole::Operator, "operator"},
    {AdminRole::TenantAdmin, "tenant-admin"},
}};

constexpr std::array<std::pair<LoginResult, std::string_view>, 7> kResults{{
    {LoginResult::Success, "success"},
    {LoginResult::WrongPassword, "wrong-password"},
    {LoginResult::UnknownUser, "unknown-user"},
    {LoginResult::Disabled, "disabled"},
    {LoginResult::Locked, "locked"},
    {LoginResult::CertificateRequired, "certificate-required"},
    {LoginResult::CertificateMismatch, "certificate-mismatch"},
}};

constexpr std::array<std::pair<MailLanguage, std::string_view>, 2> kLanguages{{
    {MailLanguage::Ja, "ja"},
    {MailLanguage::En, "en"},
}};

constexpr std::array<std::pair<ThrottleScope, std::string_view>, 2> kScopes{{
    {ThrottleScope::Account, "account"},
    {ThrottleScope::Address, "address"},
}};

template <typename Enum, std::size_t N>
std::string_view spell(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum v) {
  for (const auto& [value, text] : table)
    if (value == v) return text;
  return "?";
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse(const std::array<std::pair<Enum, std::string_view>, N>& table,
                          std::string_view s) {
  for (const auto& [value, text] : table)
    if (text == s) return value;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AdminRole v) { return spell(kRoles, v); }
std::string_view to_string(LoginResult v) { return spell(kResults, v); }
std::string_view to_string(ThrottleScope v) { return spell(kScopes, v); }
std::optional<AdminRole> parse_admin_role(std::string_view s) { return parse(kRoles, s); }
std::string_view to_string(MailLanguage v) { return spell(kLanguages, v); }
std::optional<MailLanguage> parse_mail_language(std::string_view s) { return parse(kLanguages, s); }
std::optional<LoginResult> parse_login_result(std::string_view s) { return parse(kResults, s); }
std::optional<ThrottleScope> parse_throttle_scope(std::string_view s) { return parse(kScopes, s); }

bool is_evaluated_failure(LoginResult r) {
  return r != LoginResult::Success && r != LoginResult::Locked;
}

}  // namespace inkan
