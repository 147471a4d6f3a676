// inkan-bench token: the issuing CA key in SoftHSM2 (issue 21) next to a software key, in the
// same run. For each: `inkan batch issue` of N ec-p256 certificates (certificates are issued
// already expired), then `inkan batch reissue --expired` of the same N (the batch form of
// renewal: a successor for each, linked to its predecessor), as certificates per second of wall
// time; and the bare signature rate of the CA key in this process (SigningCa::issue, one thread).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>

#include "ca/crypto/pkcs11/token_key.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/policy/profiles.hpp"
#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"
#include "tests/bench/measure.hpp"

namespace inkan::bench {
namespace {

constexpr const char* kSoftHsm = "/usr/lib/softhsm/libsofthsm2.so";
constexpr const char* kPin = "246810";

const char* const kUsage =
    "inkan-bench token [--inkan PATH] [--n N] [--signatures M]\n"
    "  --n: certificates per batch (default 1000), --signatures: in-process signatures (default 2000).\n"
    "  Needs softhsm2 (softhsm2-util and /usr/lib/softhsm/libsofthsm2.so).\n";

// 3 years and 10 days ago: the batch's certificates are expired, so reissue renews all of them.
std::string expired_not_before() {
  const std::time_t t = std::time(nullptr) - std::time_t(10) * 86400;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  tm.tm_year -= 3;
  if (tm.tm_mon == 1 && tm.tm_mday == 29) tm.tm_mday = 28;
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

struct Rates {
  double issue = 0, reissue = 0;
};

Rates batch_rates(const InkanDir& dir, const std::vector<std::string>& key_args, int n) {
  std::vector<std::string> init{"init", "--name", "Bench CA", "--root-key", "ec-p256", "--issuing-key", "ec-p256"};
  init.insert(init.end(), key_args.begin(), key_args.end());
  dir.run(init);
  dir.run({"tenant", "add", "acme", "--name", "Bench acme"});
  std::string rows = "tenant,cn,kind,email\n";
  for (int i = 0; i < n; ++i) rows += "acme,bench-" + std::to_string(i) + ",terminal,\n";
  write_private_file(dir.root() / "batch.csv", rows);
  Rates r;
  auto start = Clock::now();
  dir.run({"batch", "issue", "--from", (dir.root() / "batch.csv").string(), "--out", (dir.root() / "old").string(),
           "--key", "ec-p256", "--not-before", expired_not_before()});
  r.issue = n / seconds_since(start);
  start = Clock::now();
  dir.run({"batch", "reissue", "--expired", "--out", (dir.root() / "new").string()});
  r.reissue = n / seconds_since(start);
  return r;
}

double signature_rate(crypto::PrivateKey key, int m) {
  auto rng = crypto::Rng::system();
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto root = crypto::self_sign(policy::root_ca_template("Bench", crypto::random_serial(*rng), now,
                                                         policy::kDefaultRootValidity),
                                key, *rng);
  crypto::SigningCa ca(root, std::move(key));
  auto leaf_key = crypto::PrivateKey::generate(KeyType::EcP256, *rng);
  policy::ClientCertificateRequest req;
  req.organization = "Bench";
  req.common_name = "leaf";
  req.key_type = KeyType::EcP256;
  req.not_before = now;
  const auto spki = leaf_key.public_key_der();
  auto start = Clock::now();
  for (int i = 0; i < m; ++i) ca.issue(policy::client_template(req, crypto::random_serial(*rng)), spki, *rng);
  return m / seconds_since(start);
}

int run(const Options& o) {
  const auto binary = inkan_binary(o.args);
  const int n = o.smoke ? 20 : std::stoi(arg_value(o.args, "--n", "1000"));
  const int m = o.smoke ? 50 : std::stoi(arg_value(o.args, "--signatures", "2000"));
  TempDir tmp("inkan-bench-token");
  const auto conf = tmp.path() / "softhsm2.conf";
  std::filesystem::create_directories(tmp.path() / "tokens");
  write_private_file(conf, "directories.tokendir = " + (tmp.path() / "tokens").string() +
                               "\nobjectstore.backend = file\nlog.level = ERROR\n");
  write_private_file(tmp.path() / "pin", std::string(kPin) + "\n");
  ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);  // for the inkan children and this process
  ::setenv("INKAN_PKCS11_PIN_FILE", (tmp.path() / "pin").c_str(), 1);
  run_checked({"/usr/bin/softhsm2-util", "--init-token", "--free", "--label", "bench", "--so-pin", "13579", "--pin", kPin},
              tmp.path());

  std::printf("machine: %s\n", to_string(describe_machine()).c_str());
  if (o.smoke) std::printf("smoke run: tiny N, the figures mean nothing\n");
  std::printf("  [load %s]\n", fixed(load_average_1min(), 2).c_str());

  std::filesystem::create_directories(tmp.path() / "software");
  std::filesystem::create_directories(tmp.path() / "token");
  InkanDir soft(binary, tmp.path() / "software"), token(binary, tmp.path() / "token");
  const auto s = batch_rates(soft, {}, n);
  const auto t = batch_rates(token, {"--issuing-key-uri", "pkcs11:token=bench;object=issuing", "--pkcs11-module",
                                     kSoftHsm}, n);
  auto rng = crypto::Rng::system();
  const double sig_soft = signature_rate(crypto::PrivateKey::generate(KeyType::EcP256, *rng), m);
  const double sig_token = signature_rate(
      crypto::open_or_generate_token_key({kSoftHsm, "pkcs11:token=bench;object=inproc"}, KeyType::EcP256,
                                         crypto::SecretString(std::string(kPin)), *rng)
          .key,
      m);
  std::printf("  [load %s]\n\n", fixed(load_average_1min(), 2).c_str());
  std::printf("| issuing key (ec-p256) | batch issue, certs/s | batch reissue (renewal), certs/s | CA signatures in process, /s |\n");
  std::printf("|---|---|---|---|\n");
  std::printf("| software (Botan) | %s | %s | %s |\n", fixed(s.issue, 0).c_str(), fixed(s.reissue, 0).c_str(),
              fixed(sig_soft, 0).c_str());
  std::printf("| SoftHSM2 token | %s | %s | %s |\n", fixed(t.issue, 0).c_str(), fixed(t.reissue, 0).c_str(),
              fixed(sig_token, 0).c_str());
  std::printf("\nN = %d certificates per batch (default --jobs), %d signatures in process, one run.\n", n, m);
  return 0;
}

const bool registered = register_benchmark(
    {"token", "Batch issue and reissue with the issuing key in SoftHSM2, next to a software key", kUsage,
     [](const Options& o) {
       try {
         return run(o);
       } catch (const std::exception& e) {
         std::fprintf(stderr, "inkan-bench token: %s\n", e.what());
         return 1;
       }
     }});

}  // namespace
}  // namespace inkan::bench
