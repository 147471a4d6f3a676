#pragma once
// Certificates and CRLs: encoding our templates with Botan, and reading certificates back.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/crypto/x509/key.hpp"
#include "ca/crypto/x509/signature_engine.hpp"
#include "ca/domain/cert_template.hpp"
#include "ca/domain/records.hpp"

namespace inkan::crypto {

class Rng;

// What ca/ needs to know about a certificate, read from its DER.
struct CertificateInfo {
  Serial serial = Serial::from_bytes({1});
  std::string subject;  // RFC 4514-ish text, for display
  std::string issuer;
  DistinguishedName subject_dn;
  Timestamp not_before{};
  Timestamp not_after{};
  bool is_ca = false;
  Bytes subject_key_id;
  Bytes authority_key_id;
  Bytes public_key_der;
  std::string sha256;  // lowercase hex of the DER
};

// Throws Error(InvalidArgument) for anything that is not a certificate.
CertificateInfo inspect_certificate(const Bytes& der);

// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING.
Bytes subject_key_id_of(const Bytes& spki_der);

std::string sha256_hex(const Bytes& data);
std::string sha256_hex(std::string_view data);
std::string pem_encode(const Bytes& der, std::string_view label);
// Every PEM block with that label, in order. Throws Error(InvalidArgument) if there is none.
std::vector<Bytes> pem_decode_all(std::string_view pem, std::string_view label);

// Self-signs a root CA certificate.
Bytes self_sign(const CertificateTemplate& tmpl, const PrivateKey& key, Rng& rng);

struct CrlTemplate {
  std::uint64_t number = 1;
  Timestamp this_update{};
  Timestamp next_update{};
  std::vector<RevokedEntry> entries;
};

// A CA able to sign: its certificate, its private key and that key's signers. Non-copyable
// (design.md §8). Signing is const and safe from several threads at once: each signature leases a
// signer that no other thread holds meanwhile, and signers are built once per key and concurrent
// thread, not per signature (signer_pool.hpp: for RSA the set-up costs more than the signature).
//
// An RSA key in memory signs with OpenSSL (signature_engine.hpp); `rsa` = Botan keeps Botan's own
// RSA signature, for comparisons. Both give the same octets.
class SigningCa {
 public:
  SigningCa(Bytes cert_der, PrivateKey key, RsaEngine rsa = RsaEngine::OpenSsl);
  SigningCa(const SigningCa&) = delete;
  SigningCa& operator=(const SigningCa&) = delete;
  SigningCa(SigningCa&&) noexcept;
  ~SigningCa();

  // Signs `tmpl` for `subject_public_key` (SPKI DER). Extensions come from the template only.
  Bytes issue(const CertificateTemplate& tmpl, const Bytes& subject_public_key, Rng& rng) const;
  // A v2 CRL with CRL number, AKI and per-entry reason codes.
  Bytes make_crl(const CrlTemplate& tmpl, Rng& rng) const;

  const Bytes& cert_der() const;
  const CertificateInfo& info() const;
  // How many signers this key has built: 1 after any number of signatures from one thread, at
  // most the number of threads that signed at once. For tests and benchmarks.
  std::size_t signers_built() const;
  // Who computes this CA's signatures: OpenSSL for an RSA key in memory (unless built with
  // RsaEngine::Botan), Botan for ECDSA, the token for a token key.
  SignatureEngine signature_engine() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inkan::crypto
