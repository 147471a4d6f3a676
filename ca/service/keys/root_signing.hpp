#pragma once
// What a root does in inkan: sign an issuing CA with the issuing-CA profile. Used online by
// `inkan ca rollover` and offline by `inkan root sign`, which needs no data directory.
#include <optional>
#include <string_view>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/domain/cert_template.hpp"
#include "ca/domain/time.hpp"
#include "ca/service/keys/keyring.hpp"

namespace inkan::service {

// An offline root file holds a key and a certificate: a few KiB. Anything far larger is not one.
inline constexpr std::size_t kMaxRootFileBytes = 256 * 1024;

// Reads the file `inkan init --offline-root` writes (encrypted PKCS#8 PEM + certificate PEM).
// Throws InvalidArgument naming what is missing, WrongPassphrase, Integrity when the key and the
// certificate do not belong together.
crypto::SigningCa load_root_file(std::string_view text, std::string_view passphrase);

// An offline root whose key is on a PKCS#11 token (a smart card kept in the safe): the root file
// holds the token reference written by token_reference_text, then the certificate PEM.
std::string token_reference_text(const TokenKeyRef& ref);
// The token reference of a root file, or nullopt for a file with an encrypted key.
std::optional<TokenKeyRef> root_file_token(std::string_view text);
// Like load_root_file, for a root file naming a token key: the PIN comes from `pin`.
crypto::SigningCa load_token_root_file(std::string_view text, const Keyring::TokenPinSource& pin);

// `inkan root passphrase`: the same root file with its key encrypted under `to` instead of
// `from` (checked like load_root_file first). The caller writes it to a new file.
std::string reencrypt_root_file(std::string_view text, std::string_view from, std::string_view to,
                                crypto::Rng& rng);

// Signs `subject` / `spki` with the issuing-CA profile (never anything from a CSR). Refused
// (PolicyViolation) when the issuing CA would outlive the root or the root is not a CA.
Bytes sign_issuing_ca(const crypto::SigningCa& root, const DistinguishedName& subject,
                      const Bytes& spki, Timestamp now, const Validity& validity, crypto::Rng& rng);

// `inkan root sign`: verifies the CSR's signature and takes only its public key and subject
// (CN and O; the O must be the root's, so a stray client CSR is never made a CA).
Bytes sign_issuing_ca_csr(const crypto::SigningCa& root, std::string_view csr, Timestamp now,
                          const Validity& validity, crypto::Rng& rng);

}  // namespace inkan::service
