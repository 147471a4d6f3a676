#pragma once
// RFC 7512 `pkcs11:` URIs naming a CA key on a token: which token (token label, serial,
// manufacturer, model) and which key object on it (object label and/or id). Pure parsing, no
// PKCS#11 headers, so the CLI and services can check a URI before any module is loaded.
#include <optional>
#include <string>
#include <string_view>

#include "ca/domain/records.hpp"

namespace inkan::crypto {

struct Pkcs11Uri {
  std::optional<std::string> token;         // CKA token label (the token's, not a key's)
  std::optional<std::string> serial;        // the token's serial number
  std::optional<std::string> manufacturer;  // the token's manufacturerID
  std::optional<std::string> model;         // the token's model
  std::optional<std::string> object;        // CKA_LABEL of the key objects
  std::optional<Bytes> id;                  // CKA_ID of the key objects

  // Throws Error(InvalidArgument) naming the attribute: not `pkcs11:`, an unknown or repeated
  // attribute, a bad percent escape, `type=` other than private, no token or no object/id, or
  // `pin-value` (a PIN never goes in a URI: it would end up in argv and the database).
  static Pkcs11Uri parse(std::string_view text);
  // The canonical text (attributes in a fixed order, percent-encoded where needed), stored in
  // the database and shown by `inkan ca list`.
  std::string to_string() const;
  // "token 'X', object 'Y'": for messages.
  std::string describe() const;
};

}  // namespace inkan::crypto
