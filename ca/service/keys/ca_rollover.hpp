#pragma once
// CA rollover: a new issuing CA before the current one can no longer cover a 3-year
// certificate. The new CA becomes the active one; the old one stays, inactive, with its key, so
// its certificates keep verifying and it keeps signing their CRLs.
//
// With the root key in the data directory, rollover() does it in one step. With an offline root
// the sequence is request() (`inkan ca csr`), the root signing elsewhere (`inkan root sign`),
// then import() (`inkan ca import`).
#include <optional>
#include <string_view>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/cert_template.hpp"
#include "ca/domain/records.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

inline constexpr std::size_t kMaxCaCertFileBytes = 64 * 1024;

struct RolloverOptions {
  std::optional<KeyType> issuing_key;  // default: the current issuing CA's key type
  Validity validity = policy::kDefaultIssuingValidity;
  // The new CA's CRL URL; default: derived from the current CA's (service::crl_url_for_new_ca).
  std::optional<std::string> crl_url;
  std::optional<TokenKeyRef> issuing_token;  // the new key on a PKCS#11 token (found or generated)
};

struct CaRequest {
  Bytes csr_der;
  DistinguishedName subject;
  KeyType key_type = KeyType::Rsa3072;
};

class CaRollover {
 public:
  CaRollover(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(std::move(actor)) {}

  // A new issuing CA signed by the root held here, made active. InvalidState naming the
  // offline sequence when the root key is not in the data directory.
  CaRecord rollover(const RolloverOptions& options);

  // Offline root, step 1: a new key, kept encrypted as the pending issuing CA, and its CSR.
  // AlreadyExists when one is pending, unless `replace` (which discards the old key).
  // With `token`, the key is found or generated on that PKCS#11 token and only its reference is kept.
  CaRequest request(std::optional<KeyType> key_type, bool replace,
                    const std::optional<TokenKeyRef>& token = std::nullopt);

  // Offline root, step 3: the certificate the root signed (PEM or DER). It must be a CA
  // certificate signed by our root for the pending key; then it is stored and made active.
  // Refused with one line and nothing changed otherwise.
  CaRecord import(std::string_view cert_pem_or_der, const std::optional<std::string>& crl_url = std::nullopt);

 private:
  crypto::PrivateKey new_issuing_key(KeyType type, const std::optional<TokenKeyRef>& token);
  CaRecord activate(const Bytes& cert_der, std::string encrypted_key_pem, const std::optional<TokenKeyRef>& token,
                    KeyType key_type, const CaRecord& root, bool from_pending,
                    const std::optional<std::string>& crl_url, std::string_view action, const std::string& detail);

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
};

// The subject of the next issuing CA: "<name> Issuing CA <year>", with " G<n>" when an issuing
// CA (or the pending one) already has that name.
DistinguishedName next_issuing_subject(Store& store, Timestamp now);

// Issuing CAs whose key is held here, oldest first: each signs the CRL of its own certificates.
std::vector<CaRecord> crl_signing_cas(Store& store);

}  // namespace inkan::service
