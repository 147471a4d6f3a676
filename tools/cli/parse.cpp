#include "cli/parse.hpp"

#include "ca/domain/error.hpp"

namespace inkan::cli {
namespace {

[[noreturn]] void bad(const std::string& option, const std::string& text, std::string_view choices) {
  throw Error(ErrorCode::InvalidArgument,
              option + ": '" + text + "' is not one of " + std::string(choices));
}

}  // namespace

KeyType parse_key_option(const std::string& option, const std::string& text) {
  if (auto k = parse_key_type(text)) return *k;
  bad(option, text, key_type_choices());
}

CertKind parse_kind_option(const std::string& text) {
  if (auto k = parse_cert_kind(text)) return *k;
  bad("--kind", text, cert_kind_choices());
}

P12Profile parse_profile_option(const std::string& text) {
  if (auto p = parse_p12_profile(text)) return *p;
  bad("--p12-profile", text, p12_profile_choices());
}

std::optional<Validity> parse_validity_option(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return parse_validity(text);
}

std::optional<Timestamp> parse_not_before_option(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return parse_date_or_time(text);
}

}  // namespace inkan::cli

namespace inkan::cli {

std::optional<TokenKeyRef> parse_token_option(const std::string& option, const std::string& uri,
                                              const std::string& module) {
  if (uri.empty()) return std::nullopt;
  if (module.empty())
    throw Error(ErrorCode::InvalidArgument,
                option + " needs --pkcs11-module PATH, the token's PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so)");
  return TokenKeyRef{module, uri};  // the service checks the URI (RFC 7512) before anything is made
}

}  // namespace inkan::cli
