// An RSA CA key in memory signs with OpenSSL (issue 17, ca/crypto/x509/openssl_rsa_key.hpp).
// PKCS#1 v1.5 is deterministic, so the certificates and CRLs it signs must be the very octets
// Botan's own RSA signature gives for the same key and template: the same TBS, the same
// signatureAlgorithm, the same signature. That holds on one thread and on several signing at once.
// The engine a CA reports is read from the key its signers are built on, so the checks on it
// fail if the default CA (and the server's keyring) went back to signing with Botan.
#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <thread>
#include <vector>

#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/keys/ca_setup.hpp"
#include "ca/service/ocsp/responder_certificates.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;

namespace {

const Timestamp kNow = parse_date_or_time("2026-01-15T09:00:00Z");

// sha256WithRSAEncryption, 1.2.840.113549.1.1.11, as it appears in DER.
const Bytes kSha256WithRsa{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};

bool contains(const Bytes& der, const Bytes& what) {
  return std::search(der.begin(), der.end(), what.begin(), what.end()) != der.end();
}

CertificateTemplate leaf_template(const std::string& cn, crypto::Rng& rng) {
  policy::ClientCertificateRequest req;
  req.organization = "Acme Care";
  req.common_name = cn;
  req.key_type = KeyType::EcP256;
  req.not_before = kNow;
  req.crl_url = "http://ca.example/crl";
  return policy::client_template(req, crypto::random_serial(rng));
}

crypto::CrlTemplate crl_template(std::uint64_t number, std::vector<RevokedEntry> entries) {
  crypto::CrlTemplate t;
  t.number = number;
  t.this_update = kNow;
  t.next_update = kNow + std::chrono::hours(24 * 7);
  t.entries = std::move(entries);
  return t;
}

// One RSA key, two CAs: one signing with OpenSSL (the default), one with Botan.
struct TwoEngines {
  crypto::SigningCa openssl;
  crypto::SigningCa botan;
};

TwoEngines two_engines(KeyType type, crypto::Rng& rng) {
  auto key = crypto::PrivateKey::generate(type, rng);
  const auto pkcs8 = key.to_pkcs8_der();
  auto der = crypto::self_sign(policy::root_ca_template("Engines", crypto::random_serial(rng), kNow,
                                                        policy::kDefaultRootValidity),
                               key, rng);
  return {crypto::SigningCa(der, std::move(key)),
          crypto::SigningCa(der, crypto::PrivateKey::from_pkcs8_der(pkcs8), crypto::RsaEngine::Botan)};
}

}  // namespace

TEST_CASE("an RSA key in memory signs with OpenSSL, an EC key with Botan", "[signer][openssl-rsa]") {
  auto rng = crypto::Rng::system();
  for (auto type : {KeyType::Rsa2048, KeyType::Rsa3072}) {
    INFO(to_string(type));
    const auto cas = two_engines(type, *rng);
    CHECK(cas.openssl.signature_engine() == crypto::SignatureEngine::OpenSsl);
    CHECK(cas.botan.signature_engine() == crypto::SignatureEngine::Botan);
  }
  auto ec = crypto::PrivateKey::generate(KeyType::EcP256, *rng);
  auto ec_der = crypto::self_sign(policy::root_ca_template("EC", crypto::random_serial(*rng), kNow,
                                                           policy::kDefaultRootValidity),
                                  ec, *rng);
  CHECK(crypto::SigningCa(ec_der, std::move(ec)).signature_engine() == crypto::SignatureEngine::Botan);
}

TEST_CASE("certificates and CRLs signed through OpenSSL are the octets Botan signs, and verify",
          "[signer][openssl-rsa]") {
  auto rng = crypto::Rng::system();
  for (auto type : {KeyType::Rsa2048, KeyType::Rsa3072}) {
    INFO(to_string(type));
    const auto cas = two_engines(type, *rng);
    for (int i = 0; i < 5; ++i) {
      const auto tmpl = leaf_template("leaf-" + std::to_string(i), *rng);
      const auto spki = crypto::PrivateKey::generate(KeyType::EcP256, *rng).public_key_der();
      const auto by_openssl = cas.openssl.issue(tmpl, spki, *rng);
      CHECK(by_openssl == cas.botan.issue(tmpl, spki, *rng));
      CHECK(by_openssl == cas.openssl.issue(tmpl, spki, *rng));  // deterministic, on a reused signer
      CHECK(contains(by_openssl, kSha256WithRsa));
      CHECK(crypto::is_signed_by(by_openssl, cas.openssl.cert_der()));
      CHECK(crypto::signature_verifies(by_openssl, crypto::SignedObject::Certificate, cas.openssl.cert_der()));

      const auto serial = crypto::inspect_certificate(by_openssl).serial;
      const auto crl = crl_template(static_cast<std::uint64_t>(i + 1), {{serial, kNow, RevocationReason::KeyCompromise}});
      const auto crl_openssl = cas.openssl.make_crl(crl, *rng);
      CHECK(crl_openssl == cas.botan.make_crl(crl, *rng));
      CHECK(crypto::signature_verifies(crl_openssl, crypto::SignedObject::Crl, cas.openssl.cert_der()));
    }
    // A certificate of another key's CA does not verify against this one.
    const auto other = two_engines(type, *rng);
    const auto foreign = other.openssl.issue(leaf_template("x", *rng),
                                             crypto::PrivateKey::generate(KeyType::EcP256, *rng).public_key_der(), *rng);
    CHECK_FALSE(crypto::is_signed_by(foreign, cas.openssl.cert_der()));
  }
}

TEST_CASE("four threads signing through OpenSSL at once each get Botan's octets", "[signer][openssl-rsa]") {
  auto rng = crypto::Rng::system();
  const auto cas = two_engines(KeyType::Rsa3072, *rng);
  constexpr int kThreads = 4, kPerThread = 12;
  struct Job {
    CertificateTemplate tmpl;
    Bytes spki;
    Bytes expected;
  };
  std::vector<std::vector<Job>> jobs(kThreads);
  for (auto& list : jobs) {
    for (int i = 0; i < kPerThread; ++i) {
      Job j{leaf_template("t" + std::to_string(i), *rng),
            crypto::PrivateKey::generate(KeyType::EcP256, *rng).public_key_der(), {}};
      j.expected = cas.botan.issue(j.tmpl, j.spki, *rng);
      list.push_back(std::move(j));
    }
  }
  std::vector<std::vector<Bytes>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto own_rng = crypto::Rng::system();
      for (const auto& j : jobs[t]) made[t].push_back(cas.openssl.issue(j.tmpl, j.spki, *own_rng));
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    REQUIRE(made[t].size() == jobs[t].size());
    for (std::size_t i = 0; i < made[t].size(); ++i) CHECK(made[t][i] == jobs[t][i].expected);
  }
  CHECK(cas.openssl.signers_built() >= 1);
  CHECK(cas.openssl.signers_built() <= static_cast<std::size_t>(kThreads));
  CHECK(cas.openssl.signature_engine() == crypto::SignatureEngine::OpenSsl);
}

TEST_CASE("the default CA's keyring signs with OpenSSL: issuing CA, root and responder certificates",
          "[signer][openssl-rsa]") {
  store_test::TempDir dir;
  FixedClock clock{kNow};
  auto rng = crypto::Rng::system();
  auto store = service::open_or_create_data_dir(dir.path() / "data");
  service::Actor actor{"test:openssl-rsa"};
  service::InitOptions o;
  o.name = "Default";
  o.root_key = KeyType::Rsa2048;  // the default is rsa-4096: its generation only costs time here
  o.issuing_key = KeyType::Rsa3072;
  const auto init = service::initialise_ca(*store, clock, *rng, kPassphrase, o, actor);
  auto keyring = service::Keyring::unlock(*store, kPassphrase);
  const auto& issuing = keyring.issuing_ca(*store);
  CHECK(issuing.signature_engine() == crypto::SignatureEngine::OpenSsl);
  CHECK(keyring.ca(*store, init.root.id).signature_engine() == crypto::SignatureEngine::OpenSsl);

  // The OCSP responder certificate is signed by the CA's key through the same keyring.
  service::ResponderCertificates responders(*store, keyring, clock, *rng, actor);
  const auto responder = responders.ensure(init.issuing.id);
  CHECK(crypto::is_signed_by(responder.cert_der, issuing.cert_der()));
  CHECK(contains(responder.cert_der, kSha256WithRsa));
  CHECK(issuing.signers_built() == 1);
}
