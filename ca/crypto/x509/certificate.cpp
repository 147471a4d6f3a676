#include "ca/crypto/x509/certificate.hpp"

#include <botan/asn1_obj.h>
#include <botan/bigint.h>
#include <botan/oids.h>
#include <botan/ber_dec.h>
#include <botan/der_enc.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pem.h>
#include <botan/pubkey.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>
#include <botan/x509cert.h>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/x509/signer_pool.hpp"
#include "ca/domain/error.hpp"

namespace inkan::crypto {
namespace {

using Botan::ASN1_Tag;

Botan::X509_Time to_x509_time(Timestamp t) {
  // Botan picks UTCTime before 2050 and GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5).
  return Botan::X509_Time(std::chrono::system_clock::time_point(t));
}

Timestamp from_x509_time(const Botan::X509_Time& t) {
  return std::chrono::floor<std::chrono::seconds>(t.to_std_timepoint());
}

Botan::X509_DN to_dn(const DistinguishedName& dn) {
  Botan::X509_DN out;
  if (!dn.organization.empty()) out.add_attribute("X520.Organization", dn.organization);
  out.add_attribute("X520.CommonName", dn.common_name);
  return out;
}

// An extension holding one URI, written only (never parsed back here): the subclasses differ in
// their OID and in how the URI is wrapped, for the extensions Botan 2 cannot build.
class UriExtension : public Botan::Certificate_Extension {
 public:
  explicit UriExtension(std::string uri) : uri_(std::move(uri)) {}
  void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

 protected:
  const std::string& uri() const { return uri_; }

 private:
  void decode_inner(const std::vector<std::uint8_t>&) override {}
  std::string uri_;
};

// CRL distribution point with one fullName URI. Botan 2 has no public constructor for it.
class CrlDistributionPoint final : public UriExtension {
 public:
  using UriExtension::UriExtension;
  Botan::OID oid_of() const override { return Botan::OID("2.5.29.31"); }
  std::string oid_name() const override { return "X509v3.CRLDistributionPoints"; }
  Certificate_Extension* copy() const override { return new CrlDistributionPoint(uri()); }

 private:
  std::vector<std::uint8_t> encode_inner() const override {
    std::vector<std::uint8_t> out;
    Botan::DER_Encoder(out)
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)
        .start_cons(ASN1_Tag(0), Botan::CONTEXT_SPECIFIC)  // distributionPoint
        .start_cons(ASN1_Tag(0), Botan::CONTEXT_SPECIFIC)  // fullName
        .add_object(ASN1_Tag(6), Botan::CONTEXT_SPECIFIC, uri())  // uniformResourceIdentifier
        .end_cons()
        .end_cons()
        .end_cons()
        .end_cons();
    return out;
  }
};

// authorityInfoAccess with one id-ad-ocsp URI. Botan 2's Authority_Information_Access is not
// used: it drops caIssuers (design.md §4), and one encoder for both stays simpler.
class OcspAccess final : public UriExtension {
 public:
  using UriExtension::UriExtension;
  Botan::OID oid_of() const override { return Botan::OID("1.3.6.1.5.5.7.1.1"); }
  std::string oid_name() const override { return "PKIX.AuthorityInformationAccess"; }
  Certificate_Extension* copy() const override { return new OcspAccess(uri()); }

 private:
  std::vector<std::uint8_t> encode_inner() const override {
    std::vector<std::uint8_t> out;
    Botan::DER_Encoder(out)
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)  // AccessDescription
        .encode(Botan::OID("1.3.6.1.5.5.7.48.1"))  // id-ad-ocsp
        .add_object(ASN1_Tag(6), Botan::CONTEXT_SPECIFIC, uri())  // uniformResourceIdentifier
        .end_cons()
        .end_cons();
    return out;
  }
};

// id-pkix-ocsp-nocheck: its value is NULL (RFC 6960 §4.2.2.2.1).
class OcspNoCheck final : public Botan::Certificate_Extension {
 public:
  Botan::OID oid_of() const override { return Botan::OID("1.3.6.1.5.5.7.48.1.5"); }
  std::string oid_name() const override { return "PKIX.OCSP.NoCheck"; }
  Certificate_Extension* copy() const override { return new OcspNoCheck(); }
  void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

 private:
  std::vector<std::uint8_t> encode_inner() const override { return {0x05, 0x00}; }
  void decode_inner(const std::vector<std::uint8_t>&) override {}
};

const char* eku_oid(ExtendedKeyUsage eku) {
  switch (eku) {
    case ExtendedKeyUsage::ClientAuth: return "1.3.6.1.5.5.7.3.2";
    case ExtendedKeyUsage::ServerAuth: return "1.3.6.1.5.5.7.3.1";
    case ExtendedKeyUsage::OcspSigning: return "1.3.6.1.5.5.7.3.9";
  }
  return "1.3.6.1.5.5.7.3.2";
}

Botan::Key_Constraints to_key_constraints(unsigned bits) {
  unsigned c = 0;
  if (bits & unsigned(KeyUsage::DigitalSignature)) c |= Botan::DIGITAL_SIGNATURE;
  if (bits & unsigned(KeyUsage::KeyEncipherment)) c |= Botan::KEY_ENCIPHERMENT;
  if (bits & unsigned(KeyUsage::KeyCertSign)) c |= Botan::KEY_CERT_SIGN;
  if (bits & unsigned(KeyUsage::CrlSign)) c |= Botan::CRL_SIGN;
  return Botan::Key_Constraints(c);
}

Botan::Extensions build_extensions(const CertificateTemplate& t, const Bytes& subject_spki,
                                   const Bytes& issuer_ski) {
  Botan::Extensions ext;
  if (t.is_ca) {
    ext.add(new Botan::Cert_Extension::Basic_Constraints(
                true, t.path_length ? *t.path_length : Botan::Cert_Extension::NO_CERT_PATH_LIMIT),
            true);
  } else {
    ext.add(new Botan::Cert_Extension::Basic_Constraints(false), true);
  }
  if (t.key_usage) ext.add(new Botan::Cert_Extension::Key_Usage(to_key_constraints(t.key_usage)), true);
  if (!t.extended_key_usage.empty()) {
    std::vector<Botan::OID> oids;
    for (auto eku : t.extended_key_usage)
      oids.push_back(Botan::OID(eku_oid(eku)));
    ext.add(new Botan::Cert_Extension::Extended_Key_Usage(oids), false);
  }
  ext.add(new Botan::Cert_Extension::Subject_Key_ID(subject_key_id_of(subject_spki)), false);
  if (!issuer_ski.empty()) ext.add(new Botan::Cert_Extension::Authority_Key_ID(issuer_ski), false);
  if (!t.san_emails.empty() || !t.san_dns.empty() || !t.san_ips.empty()) {
    Botan::AlternativeName alt;
    for (const auto& e : t.san_emails) alt.add_attribute("RFC822", e);
    for (const auto& d : t.san_dns) alt.add_attribute("DNS", d);
    for (const auto& ip : t.san_ips) alt.add_attribute("IP", ip);
    ext.add(new Botan::Cert_Extension::Subject_Alternative_Name(alt), false);
  }
  if (t.crl_url) ext.add(new CrlDistributionPoint(*t.crl_url), false);
  if (t.ocsp_url) ext.add(new OcspAccess(*t.ocsp_url), false);
  if (t.ocsp_no_check) ext.add(new OcspNoCheck(), false);
  return ext;
}

Bytes sign_certificate(const CertificateTemplate& t, const Bytes& subject_spki,
                       const Botan::X509_DN& issuer_dn, const Bytes& issuer_ski,
                       const SignerPool& signers, Rng& rng) {
  try {
    auto serial = Botan::BigInt::decode(t.serial.bytes());
    auto extensions = build_extensions(t, subject_spki, issuer_ski);
    return signers.with_signer([&](SignerPool::Signer& s) {
      return Botan::X509_CA::make_cert(s.signer.get(), rng.botan(), serial, s.algorithm, subject_spki,
                                       to_x509_time(t.not_before), to_x509_time(t.not_after), issuer_dn,
                                       to_dn(t.subject), extensions)
          .BER_encode();
    });
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::Crypto, std::string("signing failed: ") + e.what());
  }
}

std::string dn_text(const Botan::X509_DN& dn) {
  std::string out;
  for (const auto& [oid, str] : dn.dn_info()) {
    auto name = Botan::OIDS::oid2str_or_empty(oid);
    std::string label = name == "X520.CommonName" ? "CN" : name == "X520.Organization" ? "O"
                       : name == "X520.Country" ? "C" : oid.to_string();
    if (!out.empty()) out += ", ";
    out += label + "=" + str.value();
  }
  return out;
}

// A v2 CRL's TBS, signed by `s`. The TBS names the signature algorithm, so it is encoded with the
// signer already leased.
Bytes encode_and_sign_crl(const CrlTemplate& t, const Botan::X509_DN& issuer, const Bytes& issuer_ski,
                          SignerPool::Signer& s, Rng& rng) {
  const auto& sig_algo = s.algorithm;
  Botan::Extensions crl_ext;
  crl_ext.add(new Botan::Cert_Extension::Authority_Key_ID(issuer_ski), false);
  crl_ext.add(new Botan::Cert_Extension::CRL_Number(static_cast<std::size_t>(t.number)), false);

  std::vector<std::uint8_t> tbs;
  Botan::DER_Encoder enc(tbs);
  enc.start_cons(Botan::SEQUENCE)
      .encode(std::size_t(1))  // v2
      .encode(sig_algo)
      .encode(issuer)
      .encode(to_x509_time(t.this_update))
      .encode(to_x509_time(t.next_update));
  if (!t.entries.empty()) {
    enc.start_cons(Botan::SEQUENCE);
    for (const auto& e : t.entries) {
      enc.start_cons(Botan::SEQUENCE)
          .encode(Botan::BigInt::decode(e.serial.bytes()))
          .encode(to_x509_time(e.revoked_at));
      // RFC 5280 §5.3.1: the reason code should be absent rather than "unspecified".
      if (e.reason != RevocationReason::Unspecified) {
        Botan::Extensions entry_ext;
        entry_ext.add(new Botan::Cert_Extension::CRL_ReasonCode(
                          static_cast<Botan::CRL_Code>(static_cast<int>(e.reason))),
                      false);
        // Botan's Extensions encodes the extensions without the SEQUENCE OF around them.
        enc.start_cons(Botan::SEQUENCE).encode(entry_ext).end_cons();
      }
      enc.end_cons();
    }
    enc.end_cons();
  }
  enc.start_explicit(0).start_cons(Botan::SEQUENCE).encode(crl_ext).end_cons().end_explicit().end_cons();

  return Botan::X509_Object::make_signed(s.signer.get(), rng.botan(), sig_algo,
                                         Botan::secure_vector<std::uint8_t>(tbs.begin(), tbs.end()));
}

}  // namespace

std::string sha256_hex(const Bytes& data) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  return Botan::hex_encode(h->process(data), false);
}

std::string sha256_hex(std::string_view data) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  return Botan::hex_encode(h->final(), false);
}

Bytes subject_key_id_of(const Bytes& spki_der) {
  Botan::AlgorithmIdentifier alg;
  std::vector<std::uint8_t> bits;
  Botan::BER_Decoder(spki_der).start_cons(Botan::SEQUENCE).decode(alg).decode(bits, Botan::BIT_STRING);
  auto h = Botan::HashFunction::create_or_throw("SHA-1");
  auto d = h->process(bits);
  return Bytes(d.begin(), d.end());
}

std::string pem_encode(const Bytes& der, std::string_view label) {
  return Botan::PEM_Code::encode(der, std::string(label));
}

std::vector<Bytes> pem_decode_all(std::string_view pem, std::string_view label) {
  std::vector<Bytes> out;
  std::string begin = "-----BEGIN " + std::string(label) + "-----";
  std::string end = "-----END " + std::string(label) + "-----";
  std::size_t pos = 0;
  while ((pos = pem.find(begin, pos)) != std::string_view::npos) {
    auto stop = pem.find(end, pos);
    if (stop == std::string_view::npos) break;
    std::string block(pem.substr(pos, stop + end.size() - pos));
    try {
      auto der = Botan::PEM_Code::decode_check_label(block, std::string(label));
      out.emplace_back(der.begin(), der.end());
    } catch (const std::exception& e) {
      throw Error(ErrorCode::InvalidArgument, "malformed PEM " + std::string(label) + ": " + e.what());
    }
    pos = stop + end.size();
  }
  if (out.empty()) throw Error(ErrorCode::InvalidArgument, "no PEM " + std::string(label) + " block found");
  return out;
}

CertificateInfo inspect_certificate(const Bytes& der) {
  try {
    Botan::X509_Certificate cert(der);
    CertificateInfo info;
    info.serial = Serial::from_bytes(cert.serial_number());
    info.subject = dn_text(cert.subject_dn());
    info.issuer = dn_text(cert.issuer_dn());
    info.subject_dn.common_name = cert.subject_dn().get_first_attribute("X520.CommonName");
    info.subject_dn.organization = cert.subject_dn().get_first_attribute("X520.Organization");
    info.not_before = from_x509_time(cert.not_before());
    info.not_after = from_x509_time(cert.not_after());
    info.is_ca = cert.is_CA_cert();
    info.subject_key_id = cert.subject_key_id();
    info.authority_key_id = cert.authority_key_id();
    info.public_key_der = cert.subject_public_key_info();
    info.sha256 = sha256_hex(der);
    return info;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::InvalidArgument, std::string("not a certificate: ") + e.what());
  }
}

Bytes self_sign(const CertificateTemplate& tmpl, const PrivateKey& key, Rng& rng) {
  auto spki = key.public_key_der();
  // A root's AKI names its own key, which lets path builders match it like any other issuer.
  // One signature with this key: a pool of one signer, built and dropped here.
  return sign_certificate(tmpl, spki, to_dn(tmpl.subject), subject_key_id_of(spki), SignerPool(key), rng);
}

struct SigningCa::Impl {
  Impl(Bytes d, CertificateInfo i, Botan::X509_Certificate c, PrivateKey k, RsaEngine rsa)
      : der(std::move(d)), info(std::move(i)), cert(std::move(c)), key(std::move(k)), signers(key, rsa) {}
  Bytes der;
  CertificateInfo info;
  Botan::X509_Certificate cert;
  PrivateKey key;
  SignerPool signers;  // after `key`, which its signers refer to: destroyed before it
};

SigningCa::SigningCa(Bytes cert_der, PrivateKey key, RsaEngine rsa) {
  auto info = inspect_certificate(cert_der);
  Botan::X509_Certificate cert(cert_der);
  if (key.public_key_der() != cert.subject_public_key_info())
    throw Error(ErrorCode::Integrity, "CA private key does not match the CA certificate");
  impl_ = std::make_unique<Impl>(std::move(cert_der), std::move(info), std::move(cert), std::move(key), rsa);
}
SigningCa::SigningCa(SigningCa&&) noexcept = default;
SigningCa::~SigningCa() = default;

const Bytes& SigningCa::cert_der() const { return impl_->der; }
const CertificateInfo& SigningCa::info() const { return impl_->info; }
std::size_t SigningCa::signers_built() const { return impl_->signers.signers_built(); }
SignatureEngine SigningCa::signature_engine() const { return impl_->signers.engine(); }

Bytes SigningCa::issue(const CertificateTemplate& tmpl, const Bytes& subject_public_key, Rng& rng) const {
  return sign_certificate(tmpl, subject_public_key, impl_->cert.subject_dn(), impl_->info.subject_key_id,
                          impl_->signers, rng);
}

Bytes SigningCa::make_crl(const CrlTemplate& t, Rng& rng) const {
  try {
    return impl_->signers.with_signer([&](SignerPool::Signer& s) {
      return encode_and_sign_crl(t, impl_->cert.subject_dn(), impl_->info.subject_key_id, s, rng);
    });
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorCode::Crypto, std::string("CRL signing failed: ") + e.what());
  }
}

}  // namespace inkan::crypto
