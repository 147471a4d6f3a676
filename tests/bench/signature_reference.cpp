#include "tests/bench/signature_reference.hpp"

#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/key.hpp"
#include "ca/domain/time.hpp"
#include "ca/policy/profiles.hpp"
#include "tests/bench/measure.hpp"

namespace inkan::bench {

namespace {

bool botan_installed() {
  for (const char* dir : {"/usr/bin/botan", "/usr/local/bin/botan"})
    if (::access(dir, X_OK) == 0) return true;
  return false;
}

// CPU per signature of an RSA-3072 CA's reused signer: an empty CRL each time (one signature
// and about a hundred octets of DER).
double in_process_signature_cpu_ms(int signatures, crypto::RsaEngine engine) {
  auto rng = crypto::Rng::system();
  const auto now = SystemClock().now();
  auto key = crypto::PrivateKey::generate(KeyType::Rsa3072, *rng);
  auto der = crypto::self_sign(policy::root_ca_template("Yardstick", crypto::random_serial(*rng), now,
                                                        policy::kDefaultRootValidity),
                               key, *rng);
  const crypto::SigningCa ca(der, std::move(key), engine);
  crypto::CrlTemplate crl;
  crl.this_update = now;
  crl.next_update = now + std::chrono::hours(24);
  ca.make_crl(crl, *rng);  // the signer's set-up, outside the measurement
  const double cpu0 = self_cpu_seconds();
  for (int i = 0; i < signatures; ++i) ca.make_crl(crl, *rng);
  return (self_cpu_seconds() - cpu0) * 1e3 / signatures;
}

}  // namespace

std::string SignatureReference::describe() const {
  std::string botan = available ? "botan speed " + fixed(ms_per_signature, 2) + " ms/op (its process " +
                                      fixed(cpu_share * 100, 0) + " % of a core), pinned to one CPU " +
                                      fixed(pinned_ms_per_signature, 2) + " ms/op (" + fixed(pinned_cpu_share * 100, 0) +
                                      " %)"
                                : "botan speed not measured: " + line;
  return botan + "; in process " + fixed(in_process_cpu_ms, 2) + " ms CPU (OpenSSL, inkan's RSA engine), " +
         fixed(in_process_botan_cpu_ms, 2) + " ms (Botan)";
}

namespace {

struct BotanRun {
  bool ok = false;
  double ms = 0, share = 0;
  std::string line;
};

BotanRun botan_speed(const std::filesystem::path& scratch, std::vector<std::string> prefix, const std::string& name) {
  BotanRun b;
  ProcessSpec spec;
  spec.argv = std::move(prefix);
  for (const char* a : {"/usr/bin/botan", "speed", "--msec=1000", "RSA"}) spec.argv.push_back(a);
  spec.stdout_file = scratch / (name + ".out");
  spec.stderr_file = scratch / (name + ".err");
  const auto result = run_process(spec);
  std::ifstream in(spec.stdout_file);
  std::stringstream text;
  text << in.rdbuf();
  // "RSA-3072 EMSA-PKCS1-v1_5(SHA-256) 503 sign/sec; 1.99 ms/op 4170000 cycles/op (504 ops in 1002 ms)"
  std::smatch m;
  const std::string out = text.str();
  if (result.exit_status != 0 ||
      !std::regex_search(out, m, std::regex(R"((RSA-3072 EMSA-PKCS1-v1_5\(SHA-256\) [0-9.]+ sign/sec; ([0-9.]+) ms/op[^\n]*))"))) {
    b.line = name + " failed or printed no RSA-3072 signing line (status " + std::to_string(result.exit_status) + ")";
    return b;
  }
  b.ok = true;
  b.line = m[1];
  b.ms = std::stod(m[2]);
  b.share = result.seconds > 0 ? (result.user_seconds + result.system_seconds) / result.seconds : 0;
  return b;
}

}  // namespace

SignatureReference measure_rsa3072_signature(const std::filesystem::path& scratch, int signatures) {
  SignatureReference r;
  r.in_process_cpu_ms = in_process_signature_cpu_ms(signatures, crypto::RsaEngine::OpenSsl);
  r.in_process_botan_cpu_ms = in_process_signature_cpu_ms(signatures, crypto::RsaEngine::Botan);
  if (!botan_installed()) {
    r.line = "the botan CLI is not installed (apt-get install botan)";
    return r;
  }
  std::filesystem::create_directories(scratch);
  const auto free = botan_speed(scratch, {}, "botan-speed");
  r.available = free.ok;
  r.line = free.line;
  r.ms_per_signature = free.ms;
  r.cpu_share = free.share;
  const auto pinned = botan_speed(scratch, {"/usr/bin/taskset", "-c", "0"}, "botan-speed-pinned");
  if (pinned.ok) r.pinned_ms_per_signature = pinned.ms, r.pinned_cpu_share = pinned.share;
  return r;
}

}  // namespace inkan::bench
