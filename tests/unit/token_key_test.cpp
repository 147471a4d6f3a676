// CA keys on a PKCS#11 token (issue 21), against a real SoftHSM2 token initialised here in a
// temporary directory: X509_CA signs certificates and CRLs with a token key (ECDSA P-256/P-384,
// RSA PKCS#1 v1.5) and they verify with the token's public key; no key byte can be exported;
// wrong PIN, missing object and missing module fail with their own error; a token that goes
// away fails the signature and the next one, once it is back, succeeds on a new session.
#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ca/crypto/pkcs11/token_key.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/profiles.hpp"

using namespace inkan;
namespace fs = std::filesystem;

namespace {

const Timestamp kNow = parse_date_or_time("2026-01-15T09:00:00Z");
constexpr const char* kSoftHsm = "/usr/lib/softhsm/libsofthsm2.so";

// One token per test process: SoftHSM2 reads SOFTHSM2_CONF once, at C_Initialize.
const fs::path& token_dir() {
  static const fs::path dir = [] {
    auto d = fs::temp_directory_path() / ("inkan-unit-p11-" + std::to_string(::getpid()));
    fs::create_directories(d / "tokens");
    std::ofstream(d / "softhsm2.conf") << "directories.tokendir = " << (d / "tokens").string()
                                       << "\nobjectstore.backend = file\nlog.level = ERROR\n";
    ::setenv("SOFTHSM2_CONF", (d / "softhsm2.conf").c_str(), 1);
    auto cmd = "softhsm2-util --init-token --free --label unit --so-pin 5678 --pin 1234 >/dev/null";
    REQUIRE(std::system(cmd) == 0);
    return d;
  }();
  return dir;
}

struct TokenCleanup {
  ~TokenCleanup() {
    std::error_code ec;
    fs::remove_all(fs::temp_directory_path() / ("inkan-unit-p11-" + std::to_string(::getpid())), ec);
  }
} cleanup;

TokenKeyRef token_ref(const std::string& object, const char* module = kSoftHsm) {
  token_dir();
  return {module, "pkcs11:token=unit;object=" + object};
}

crypto::SecretString pin(const char* p = "1234") { return crypto::SecretString(std::string(p)); }

CertificateTemplate leaf(crypto::Rng& rng) {
  policy::ClientCertificateRequest req;
  req.organization = "Acme Care";
  req.common_name = "alice";
  req.key_type = KeyType::EcP256;
  req.not_before = kNow;
  req.crl_url = "http://ca.example/crl";
  return policy::client_template(req, crypto::random_serial(rng));
}

}  // namespace

TEST_CASE("a token key signs a root, a certificate and a CRL that verify", "[pkcs11]") {
  auto rng = crypto::Rng::system();
  for (auto type : {KeyType::EcP256, KeyType::EcP384, KeyType::Rsa2048}) {
    auto label = "root-" + std::string(to_string(type));
    auto opened = crypto::open_or_generate_token_key(token_ref(label), type, pin(), *rng);
    CHECK(opened.generated);
    CHECK(opened.key.held_by_token());
    CHECK(opened.key.type() == type);
    auto tmpl = policy::root_ca_template("Acme", crypto::random_serial(*rng), kNow, policy::kDefaultRootValidity);
    auto root_der = crypto::self_sign(tmpl, opened.key, *rng);
    CHECK(crypto::is_signed_by(root_der, root_der));

    // Opened again (a later command): the same key, found by its label.
    auto again = crypto::open_token_key(token_ref(label), pin());
    CHECK(again.public_key_der() == opened.key.public_key_der());
    crypto::SigningCa ca(root_der, std::move(again));
    CHECK(ca.signature_engine() == crypto::SignatureEngine::Token);  // an RSA token key too: not OpenSSL
    auto leaf_key = crypto::PrivateKey::generate(KeyType::EcP256, *rng);
    auto cert = ca.issue(leaf(*rng), leaf_key.public_key_der(), *rng);
    CHECK(crypto::is_signed_by(cert, root_der));
    crypto::CrlTemplate crl{1, kNow, kNow + std::chrono::hours(24), {}};
    auto crl_der = ca.make_crl(crl, *rng);
    CHECK(crypto::signature_verifies(crl_der, crypto::SignedObject::Crl, root_der));

    CHECK_THROWS_AS(opened.key.to_pkcs8_der(), Error);
    CHECK_THROWS_AS(opened.key.to_encrypted_pem("passphrase", *rng), Error);
  }
}

TEST_CASE("a key already on the token is used, and must be of the type asked", "[pkcs11]") {
  auto rng = crypto::Rng::system();
  auto first = crypto::open_or_generate_token_key(token_ref("reuse"), KeyType::EcP256, pin(), *rng);
  auto second = crypto::open_or_generate_token_key(token_ref("reuse"), KeyType::EcP256, pin(), *rng);
  CHECK_FALSE(second.generated);
  CHECK(second.key.public_key_der() == first.key.public_key_der());
  try {
    crypto::open_or_generate_token_key(token_ref("reuse"), KeyType::Rsa3072, pin(), *rng);
    FAIL("a key of another type was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::PolicyViolation);
  }
}

TEST_CASE("wrong PIN, missing object, token or module each fail with their own error", "[pkcs11]") {
  auto rng = crypto::Rng::system();
  crypto::open_or_generate_token_key(token_ref("present"), KeyType::EcP256, pin(), *rng);
  auto code_of = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    FAIL("no error");
    return ErrorCode::Crypto;
  };
  CHECK(code_of([&] { crypto::open_token_key(token_ref("present"), pin("0000")); }) == ErrorCode::WrongPassphrase);
  CHECK(code_of([&] { crypto::open_token_key(token_ref("absent"), pin()); }) == ErrorCode::NotFound);
  CHECK(code_of([&] { crypto::open_token_key({kSoftHsm, "pkcs11:token=nope;object=x"}, pin()); }) == ErrorCode::NotFound);
  CHECK(code_of([&] { crypto::open_token_key(token_ref("present", "/nonexistent/module.so"), pin()); }) == ErrorCode::NotFound);
  CHECK(code_of([&] { crypto::open_token_key(token_ref("present", "/etc/hostname"), pin()); }) == ErrorCode::InvalidArgument);
  CHECK(code_of([&] { crypto::open_token_key({kSoftHsm, "pkcs11:token=unit;object=present?pin-value=1234"}, pin()); }) ==
        ErrorCode::InvalidArgument);
}

TEST_CASE("a token that goes away fails one signature; the next one, once it is back, succeeds", "[pkcs11]") {
  const char* fault_module = std::getenv("INKAN_P11_FAULT_MODULE");
  REQUIRE(fault_module != nullptr);
  auto rng = crypto::Rng::system();
  auto fault_file = token_dir() / "fault";
  ::setenv("INKAN_P11_FAULT_FILE", fault_file.c_str(), 1);
  auto opened = crypto::open_or_generate_token_key(token_ref("flaky", fault_module), KeyType::EcP256, pin(), *rng);
  auto tmpl = policy::root_ca_template("Acme", crypto::random_serial(*rng), kNow, policy::kDefaultRootValidity);
  auto root_der = crypto::self_sign(tmpl, opened.key, *rng);
  crypto::SigningCa ca(root_der, std::move(opened.key));
  auto leaf_key = crypto::PrivateKey::generate(KeyType::EcP256, *rng);
  CHECK(crypto::is_signed_by(ca.issue(leaf(*rng), leaf_key.public_key_der(), *rng), root_der));

  std::ofstream(fault_file) << 0;  // pulled out
  CHECK_THROWS_AS(ca.issue(leaf(*rng), leaf_key.public_key_der(), *rng), Error);
  CHECK_THROWS_AS(ca.issue(leaf(*rng), leaf_key.public_key_der(), *rng), Error);  // still gone
  fs::remove(fault_file);  // back
  CHECK(crypto::is_signed_by(ca.issue(leaf(*rng), leaf_key.public_key_der(), *rng), root_der));
}
