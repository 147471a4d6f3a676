// Signers are built once per CA key and concurrent thread, then reused (issue 17,
// ca/crypto/x509/signer_pool.hpp). What reuse must not change: every certificate and CRL a reused
// signer makes verifies (with Botan and with `openssl verify`), threads signing at once each get a
// valid signature, and after a rollover, also one made by another process's keyring, the new key
// signs: a signer cached past its key would sign with the old key and fail these checks.
#include <catch2/catch_test_macros.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/keys/ca_rollover.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;
namespace fs = std::filesystem;

namespace {

const Timestamp kNow = parse_date_or_time("2026-01-15T09:00:00Z");

CertificateTemplate leaf_template(const std::string& cn, crypto::Rng& rng) {
  policy::ClientCertificateRequest req;
  req.organization = "Acme Care";
  req.common_name = cn;
  req.key_type = KeyType::EcP256;
  req.not_before = kNow;
  req.crl_url = "http://ca.example/crl";
  return policy::client_template(req, crypto::random_serial(rng));
}

// A self-signed CA with a key of `type`, able to sign: the reuse is the same for a root and an
// issuing CA, and for the default CA's RSA-3072 key it matters most.
crypto::SigningCa make_ca(KeyType type, crypto::Rng& rng) {
  auto key = crypto::PrivateKey::generate(type, rng);
  auto der = crypto::self_sign(policy::root_ca_template("Reuse", crypto::random_serial(rng), kNow,
                                                        policy::kDefaultRootValidity),
                               key, rng);
  return crypto::SigningCa(der, std::move(key));
}

Bytes issue_one(const crypto::SigningCa& ca, const std::string& cn, crypto::Rng& rng) {
  auto leaf_key = crypto::PrivateKey::generate(KeyType::EcP256, rng);
  return ca.issue(leaf_template(cn, rng), leaf_key.public_key_der(), rng);
}

Bytes crl_of(const crypto::SigningCa& ca, std::uint64_t number, std::vector<RevokedEntry> entries = {}) {
  auto rng = crypto::Rng::system();
  crypto::CrlTemplate t;
  t.number = number;
  t.this_update = kNow;
  t.next_update = kNow + std::chrono::hours(24 * 7);
  t.entries = std::move(entries);
  return ca.make_crl(t, *rng);
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `openssl verify` of every certificate, and `openssl crl -verify` of every CRL, against `ca`.
// The time is pinned to kNow so the test does not age; -partial_chain trusts `ca` even when it is
// an issuing CA. Returns openssl's combined output.
std::string openssl_checks(const fs::path& dir, const crypto::SigningCa& ca, const std::vector<Bytes>& certs,
                           const std::vector<Bytes>& crls, int& status) {
  write_file(dir / "ca.pem", crypto::pem_encode(ca.cert_der(), "CERTIFICATE"));
  std::string leaves;
  for (const auto& c : certs) leaves += crypto::pem_encode(c, "CERTIFICATE");
  write_file(dir / "leaves.pem", leaves);
  std::string cmd = "cd '" + dir.string() + "' && export LC_ALL=C.UTF-8 && {";
  // One leaf per file: `openssl verify` reads only the first certificate of a file.
  for (std::size_t i = 0; i < certs.size(); ++i) {
    write_file(dir / ("leaf" + std::to_string(i) + ".pem"), crypto::pem_encode(certs[i], "CERTIFICATE"));
    cmd += " openssl verify -attime " + std::to_string(std::chrono::system_clock::to_time_t(kNow + std::chrono::hours(1))) +
           " -partial_chain -CAfile ca.pem leaf" + std::to_string(i) + ".pem &&";
  }
  for (std::size_t i = 0; i < crls.size(); ++i) {
    write_file(dir / ("crl" + std::to_string(i) + ".pem"), crypto::pem_encode(crls[i], "X509 CRL"));
    cmd += " openssl crl -in crl" + std::to_string(i) + ".pem -CAfile ca.pem -noout &&";
  }
  cmd += " true; } > openssl.out 2>&1";
  const int rc = std::system(cmd.c_str());
  status = (rc != -1 && WIFEXITED(rc)) ? WEXITSTATUS(rc) : -1;
  return read_file(dir / "openssl.out");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("one reused signer: certificates and CRLs of an RSA-3072 and an EC CA verify with Botan and openssl",
          "[signer]") {
  auto rng = crypto::Rng::system();
  for (auto type : {KeyType::Rsa3072, KeyType::EcP256}) {
    INFO(to_string(type));
    const auto ca = make_ca(type, *rng);
    std::vector<Bytes> certs, crls;
    // More than 64 signatures: Botan's RSA blinder re-randomises every 64 uses of a signer.
    const int n = type == KeyType::Rsa3072 ? 70 : 20;
    for (int i = 0; i < n; ++i) {
      certs.push_back(issue_one(ca, "leaf-" + std::to_string(i), *rng));
      if (i % 10 == 0) {
        const auto serial = crypto::inspect_certificate(certs.back()).serial;
        crls.push_back(crl_of(ca, static_cast<std::uint64_t>(i + 1), {{serial, kNow, RevocationReason::KeyCompromise}}));
      }
    }
    CHECK(ca.signers_built() == 1);  // one thread: one signer for every certificate and CRL
    CHECK(ca.signature_engine() == (type == KeyType::Rsa3072 ? crypto::SignatureEngine::OpenSsl
                                                             : crypto::SignatureEngine::Botan));
    for (const auto& c : certs) {
      CHECK(crypto::is_signed_by(c, ca.cert_der()));
      CHECK(crypto::signature_verifies(c, crypto::SignedObject::Certificate, ca.cert_der()));
    }
    for (const auto& c : crls) CHECK(crypto::signature_verifies(c, crypto::SignedObject::Crl, ca.cert_der()));

    // A signature by another key of the same type must not pass the same check.
    const auto other = make_ca(type, *rng);
    CHECK_FALSE(crypto::is_signed_by(certs.front(), other.cert_der()));
    CHECK_FALSE(crypto::signature_verifies(crls.front(), crypto::SignedObject::Crl, other.cert_der()));

    store_test::TempDir dir;
    // Every 7th certificate and every CRL through openssl (each call is a process).
    std::vector<Bytes> sample;
    for (std::size_t i = 0; i < certs.size(); i += 7) sample.push_back(certs[i]);
    int status = -1;
    const auto out = openssl_checks(dir.path(), ca, sample, crls, status);
    INFO(out);
    CHECK(status == 0);
    CHECK(count(out, ": OK") == sample.size());
    CHECK(count(out, "verify OK") == crls.size());
  }
}

TEST_CASE("two threads signing with one CA at once each get valid signatures, from a signer of their own",
          "[signer]") {
  auto rng = crypto::Rng::system();
  const auto ca = make_ca(KeyType::Rsa3072, *rng);
  constexpr int kPerThread = 30;
  std::vector<Bytes> made[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      auto own_rng = crypto::Rng::system();
      for (int i = 0; i < kPerThread; ++i) {
        made[t].push_back(issue_one(ca, "t" + std::to_string(t) + "-" + std::to_string(i), *own_rng));
        if (i % 5 == 0) made[t].push_back(crl_of(ca, static_cast<std::uint64_t>(t * 1000 + i)));
      }
    });
  }
  for (auto& th : threads) th.join();
  // Each thread leased a signer of its own; never more than the two that signed at once.
  CHECK(ca.signers_built() >= 1);
  CHECK(ca.signers_built() <= 2);
  std::size_t certs = 0, crls = 0;
  for (const auto& list : made) {
    for (const auto& der : list) {
      const bool is_cert = crypto::signature_verifies(der, crypto::SignedObject::Certificate, ca.cert_der());
      const bool is_crl = crypto::signature_verifies(der, crypto::SignedObject::Crl, ca.cert_der());
      CHECK((is_cert || is_crl));
      (is_cert ? certs : crls) += 1;
    }
  }
  CHECK(certs == 2 * kPerThread);
  CHECK(crls == 2 * 6);

  store_test::TempDir dir;
  std::vector<Bytes> sample{made[0].front(), made[1].front(), made[0].back(), made[1].back()};
  std::vector<Bytes> sample_certs, sample_crls;
  for (const auto& der : sample)
    (crypto::signature_verifies(der, crypto::SignedObject::Certificate, ca.cert_der()) ? sample_certs : sample_crls)
        .push_back(der);
  int status = -1;
  const auto out = openssl_checks(dir.path(), ca, sample_certs, sample_crls, status);
  INFO(out);
  CHECK(status == 0);
}

TEST_CASE("after a rollover the new issuing key signs, on a thread that signed with the old one", "[signer]") {
  CaFixture f;
  auto keyring = f.unlock();
  // A long-lived worker, as the server's: it signs before and after the rollover.
  auto sign_on_worker = [&] {
    Bytes der;
    std::thread worker([&] {
      auto rng = crypto::Rng::system();
      der = issue_one(keyring.issuing_ca(*f.store), "worker", *rng);
    });
    worker.join();
    return der;
  };
  const auto old_ca = f.ca.issuing.cert_der;
  const auto before = sign_on_worker();
  CHECK(crypto::is_signed_by(before, old_ca));

  service::CaRollover roll(*f.store, keyring, f.clock, *f.rng, f.actor);
  const auto fresh = roll.rollover({});
  const auto after = sign_on_worker();
  CHECK(crypto::is_signed_by(after, fresh.cert_der));
  CHECK_FALSE(crypto::is_signed_by(after, old_ca));
  CHECK(crypto::inspect_certificate(after).authority_key_id == crypto::inspect_certificate(fresh.cert_der).subject_key_id);
  // The old CA keeps its own signers for its CRLs.
  CHECK(crypto::signature_verifies(crl_of(keyring.ca(*f.store, f.ca.issuing.id), 2), crypto::SignedObject::Crl, old_ca));
}

TEST_CASE("a rollover made by another keyring (another process) is what a running keyring signs with next",
          "[signer]") {
  CaFixture f;
  // The server's keyring has decrypted the issuing key and built its signer.
  auto serving = f.unlock();
  auto rng = crypto::Rng::system();
  const auto before = issue_one(serving.issuing_ca(*f.store), "before", *rng);
  CHECK(crypto::is_signed_by(before, f.ca.issuing.cert_der));
  CHECK(serving.issuing_ca(*f.store).signers_built() == 1);

  // `inkan ca rollover` in another process: its own connection and keyring, a different key type.
  auto other_store = service::open_data_dir(f.dir.path() / "data");
  auto other = service::Keyring::unlock(*other_store, kPassphrase);
  service::CaRollover roll(*other_store, other, f.clock, *f.rng, f.actor);
  const auto fresh = roll.rollover({KeyType::Rsa3072, policy::kDefaultIssuingValidity});

  const auto& now_issuing = serving.issuing_ca(*f.store);
  CHECK(now_issuing.cert_der() == fresh.cert_der);
  const auto after = issue_one(now_issuing, "after", *rng);
  CHECK(crypto::is_signed_by(after, fresh.cert_der));
  CHECK_FALSE(crypto::is_signed_by(after, f.ca.issuing.cert_der));
  const auto again = issue_one(serving.issuing_ca(*f.store), "again", *rng);
  CHECK(crypto::is_signed_by(again, fresh.cert_der));
  CHECK(now_issuing.signers_built() == 1);

  store_test::TempDir dir;
  int status = -1;
  const auto out = openssl_checks(dir.path(), now_issuing, {after, again}, {crl_of(now_issuing, 1)}, status);
  INFO(out);
  CHECK(status == 0);
  CHECK(count(out, ": OK") == 2);
}
