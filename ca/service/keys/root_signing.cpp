#include "ca/service/keys/root_signing.hpp"

#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/csr.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/issuance/linted_signing.hpp"

namespace inkan::service {

namespace {

constexpr std::string_view kModuleLine = "inkan-root-key-module: ";
constexpr std::string_view kUriLine = "inkan-root-key-uri: ";

std::optional<std::string> line_value(std::string_view text, std::string_view prefix) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    auto line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (line.substr(0, prefix.size()) == prefix) return std::string(line.substr(prefix.size()));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return std::nullopt;
}

Bytes only_certificate(std::string_view text) {
  std::vector<Bytes> certs;
  try {
    certs = crypto::pem_decode_all(text, "CERTIFICATE");
  } catch (const Error&) {
    throw Error(ErrorCode::InvalidArgument, "the root file holds no CERTIFICATE");
  }
  if (certs.size() != 1) throw Error(ErrorCode::InvalidArgument, "the root file must hold exactly one certificate");
  return certs.front();
}

}  // namespace

std::string token_reference_text(const TokenKeyRef& ref) {
  return std::string(kModuleLine) + ref.module_path + "\n" + std::string(kUriLine) + ref.uri + "\n";
}

std::optional<TokenKeyRef> root_file_token(std::string_view text) {
  if (text.size() > kMaxRootFileBytes) return std::nullopt;
  auto module = line_value(text, kModuleLine);
  auto uri = line_value(text, kUriLine);
  if (!module || !uri) return std::nullopt;
  return TokenKeyRef{*module, *uri};
}

crypto::SigningCa load_token_root_file(std::string_view text, const Keyring::TokenPinSource& pin) {
  auto ref = root_file_token(text);
  if (!ref) throw Error(ErrorCode::InvalidArgument, "the root file names no token key");
  auto cert = only_certificate(text);
  auto info = crypto::inspect_certificate(cert);
  if (!info.is_ca || !crypto::may_sign_certificates(cert))
    throw Error(ErrorCode::PolicyViolation, "the certificate in the root file (" + info.subject + ") is not a CA");
  try {
    return crypto::SigningCa(cert, open_token_key(*ref, pin));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::Integrity) throw;
    throw Error(ErrorCode::Integrity, "the key on the token (" + ref->uri + ") does not match the root file's certificate");
  }
}

crypto::SigningCa load_root_file(std::string_view text, std::string_view passphrase) {
  if (text.size() > kMaxRootFileBytes)
    throw Error(ErrorCode::InvalidArgument, "the root file is larger than an offline root file can be");
  std::vector<Bytes> keys, certs;
  try {
    keys = crypto::pem_decode_all(text, "ENCRYPTED PRIVATE KEY");
    certs = crypto::pem_decode_all(text, "CERTIFICATE");
  } catch (const Error&) {
    throw Error(ErrorCode::InvalidArgument,
                "the root file must hold an ENCRYPTED PRIVATE KEY and a CERTIFICATE (as written by "
                "`inkan init --offline-root`)");
  }
  if (keys.size() != 1 || certs.size() != 1)
    throw Error(ErrorCode::InvalidArgument, "the root file must hold exactly one key and one certificate");
  auto key = [&] {
    try {
      return crypto::PrivateKey::from_encrypted_pem(crypto::pem_encode(keys[0], "ENCRYPTED PRIVATE KEY"), passphrase);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::WrongPassphrase) throw;
      throw Error(ErrorCode::WrongPassphrase, "wrong passphrase: it does not unlock the root key");
    }
  }();
  auto info = crypto::inspect_certificate(certs[0]);
  if (!info.is_ca || !crypto::may_sign_certificates(certs[0]))
    throw Error(ErrorCode::PolicyViolation, "the certificate in the root file (" + info.subject + ") is not a CA");
  try {
    return crypto::SigningCa(certs[0], std::move(key));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::Integrity) throw;
    throw Error(ErrorCode::Integrity, "the key in the root file does not match its certificate");
  }
}

std::string reencrypt_root_file(std::string_view text, std::string_view from, std::string_view to,
                                crypto::Rng& rng) {
  auto root = load_root_file(text, from);  // the key opens and belongs to the certificate
  auto key_pem = crypto::pem_encode(crypto::pem_decode_all(text, "ENCRYPTED PRIVATE KEY").front(), "ENCRYPTED PRIVATE KEY");
  auto key = crypto::PrivateKey::from_encrypted_pem(key_pem, from);
  return key.to_encrypted_pem(to, rng) + crypto::pem_encode(root.cert_der(), "CERTIFICATE");
}

Bytes sign_issuing_ca(const crypto::SigningCa& root, const DistinguishedName& subject, const Bytes& spki,
                      Timestamp now, const Validity& validity, crypto::Rng& rng) {
  if (!root.info().is_ca) throw Error(ErrorCode::PolicyViolation, "the signer is not a CA");
  auto tmpl = policy::issuing_ca_template(subject, crypto::random_serial(rng), now, validity);
  if (now >= root.info().not_after)
    throw Error(ErrorCode::PolicyViolation, "the root CA expired on " + format_date(root.info().not_after));
  if (tmpl.not_after > root.info().not_after)
    throw Error(ErrorCode::PolicyViolation,
                "the issuing CA would expire on " + format_date(tmpl.not_after) + ", after the root CA, which expires on " +
                    format_date(root.info().not_after) + ": pass a shorter --validity");
  return sign_linted(root, tmpl, spki, rng);
}

Bytes sign_issuing_ca_csr(const crypto::SigningCa& root, std::string_view csr_text, Timestamp now,
                          const Validity& validity, crypto::Rng& rng) {
  auto csr = crypto::parse_csr(csr_text);
  if (csr.subject.common_name.empty()) throw Error(ErrorCode::InvalidCsr, "the CSR has no CN");
  policy::validate_common_name(csr.subject.common_name);
  const auto& root_org = root.info().subject_dn.organization;
  if (csr.subject.organization != root_org)
    throw Error(ErrorCode::PolicyViolation, "the CSR's subject O='" + csr.subject.organization +
                                                "' is not this root's O='" + root_org +
                                                "': only `inkan ca csr` requests of this CA are signed");
  return sign_issuing_ca(root, csr.subject, csr.public_key_der, now, validity, rng);
}

}  // namespace inkan::service
