#include "ca/crypto/pkcs11/pkcs11_uri.hpp"

#include "ca/domain/error.hpp"
#include "ca/domain/percent_encoding.hpp"

namespace inkan::crypto {
namespace {

std::string percent_decode(std::string_view v, std::string_view attribute) {
  auto out = inkan::percent_decode(v);
  if (!out)
    throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: bad percent escape in '" + std::string(attribute) + "'");
  return *out;
}

// RFC 7512 §2.3: unreserved characters and a few path characters stay as they are.
bool path_character(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == ':' || c == '[' || c == ']' || c == '@' || c == '!' || c == '$' ||
         c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == '=';
}

std::string percent_encode(std::string_view v) { return inkan::percent_encode(v, path_character); }

void set_once(std::optional<std::string>& slot, std::string value, std::string_view name) {
  if (slot) throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: '" + std::string(name) + "' is given twice");
  slot = std::move(value);
}

}  // namespace

Pkcs11Uri Pkcs11Uri::parse(std::string_view text) {
  constexpr std::string_view kScheme = "pkcs11:";
  if (text.size() > 1024) throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: longer than 1024 characters");
  if (text.substr(0, kScheme.size()) != kScheme)
    throw Error(ErrorCode::InvalidArgument,
                "a key URI must start with 'pkcs11:' (RFC 7512), e.g. 'pkcs11:token=inkan;object=issuing'");
  auto rest = text.substr(kScheme.size());
  auto query_at = rest.find('?');
  auto query = query_at == std::string_view::npos ? std::string_view{} : rest.substr(query_at + 1);
  auto path = rest.substr(0, query_at);

  Pkcs11Uri uri;
  std::optional<std::string> id_text, type;
  while (!path.empty()) {
    auto end = path.find(';');
    auto part = path.substr(0, end);
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: '" + std::string(part) + "' is not name=value");
    auto name = part.substr(0, eq);
    auto value = percent_decode(part.substr(eq + 1), name);
    if (name == "token") set_once(uri.token, std::move(value), name);
    else if (name == "serial") set_once(uri.serial, std::move(value), name);
    else if (name == "manufacturer") set_once(uri.manufacturer, std::move(value), name);
    else if (name == "model") set_once(uri.model, std::move(value), name);
    else if (name == "object") set_once(uri.object, std::move(value), name);
    else if (name == "id") set_once(id_text, std::move(value), name);
    else if (name == "type") set_once(type, std::move(value), name);
    else
      throw Error(ErrorCode::InvalidArgument,
                  "pkcs11 URI: attribute '" + std::string(name) +
                      "' is not supported (use token, serial, manufacturer, model, object, id, type)");
  }
  while (!query.empty()) {
    auto end = query.find('&');
    auto part = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view{} : query.substr(end + 1);
    auto name = part.substr(0, part.find('='));
    if (name == "pin-value" || name == "pin-source")
      throw Error(ErrorCode::InvalidArgument,
                  "pkcs11 URI: no PIN in the URI: give it with --pkcs11-pin-file, INKAN_PKCS11_PIN_FILE or at the prompt");
    if (!name.empty())
      throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: query attribute '" + std::string(name) + "' is not supported");
  }
  if (type && *type != "private")
    throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: type=" + *type + ": a CA key URI names the private key (type=private or none)");
  if (id_text) uri.id = Bytes(id_text->begin(), id_text->end());
  if (!uri.token && !uri.serial)
    throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: name the token with token= (its label) or serial=");
  if (!uri.object && !uri.id)
    throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: name the key with object= (its label) or id=");
  if (uri.object && uri.object->empty())
    throw Error(ErrorCode::InvalidArgument, "pkcs11 URI: object= is empty");
  return uri;
}

std::string Pkcs11Uri::to_string() const {
  std::string out = "pkcs11:";
  auto add = [&](std::string_view name, const std::optional<std::string>& v) {
    if (!v) return;
    if (out.size() > 7) out += ';';
    out += std::string(name) + "=" + percent_encode(*v);
  };
  add("manufacturer", manufacturer);
  add("model", model);
  add("serial", serial);
  add("token", token);
  if (id) add("id", std::string(id->begin(), id->end()));
  add("object", object);
  add("type", std::optional<std::string>("private"));
  return out;
}

std::string Pkcs11Uri::describe() const {
  std::string out = token ? "token '" + *token + "'" : "token with serial '" + serial.value_or("") + "'";
  if (object) out += ", object '" + *object + "'";
  if (id) out += ", id " + percent_encode(std::string(id->begin(), id->end()));
  return out;
}

}  // namespace inkan::crypto
