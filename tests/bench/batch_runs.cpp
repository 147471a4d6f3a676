#include "tests/bench/batch_runs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/domain/time.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/issuance/issuance_steps.hpp"
#include "ca/service/keys/keyring.hpp"
#include "tests/bench/measure.hpp"

namespace inkan::bench::batchbench {
namespace fs = std::filesystem;
namespace {

constexpr const char* kPassphrase = "inkan-bench batch passphrase, not a secret";

void write_0600(const fs::path& file, const std::string& text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
  ::fchmod(fd, 0600);
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write " + file.string());
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a command to completion; a failure throws with the tail of its stderr.
ProcessResult run_checked(ProcessSpec spec, const fs::path& log_stem) {
  spec.stdout_file = log_stem.string() + ".out";
  spec.stderr_file = log_stem.string() + ".err";
  auto r = run_process(spec);
  if (r.exit_status != 0) {
    auto err = slurp(spec.stderr_file);
    if (err.size() > 2000) err = err.substr(err.size() - 2000);
    throw std::runtime_error(spec.argv[0] + " " + (spec.argv.size() > 1 ? spec.argv[1] : "") + " " +
                             (spec.argv.size() > 2 ? spec.argv[2] : "") + " failed (status " +
                             std::to_string(r.exit_status) + ", signal " + std::to_string(r.signal) + "):\n" + err);
  }
  return r;
}

ProcessSpec inkan_spec(const InkanHome& home, std::vector<std::string> args) {
  ProcessSpec s;
  s.argv.push_back(home.inkan.string());
  for (auto& a : args) s.argv.push_back(std::move(a));
  s.env = {{"INKAN_DIR", home.dir.string()}, {"INKAN_PASSPHRASE_FILE", home.passphrase.string()}, {"LC_ALL", "C.UTF-8"}};
  return s;
}

std::string key_name(KeyType key) { return std::string(to_string(key)); }

}  // namespace

Scratch::Scratch() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/inkan-bench-batch.XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp: " + std::string(std::strerror(errno)));
  path_ = pattern;
}

Scratch::~Scratch() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string to_string(CaKind ca) { return ca == CaKind::EcP256 ? "ec-p256" : "rsa-3072"; }

InkanHome make_inkan_home(const fs::path& inkan, const fs::path& where, CaKind ca) {
  fs::create_directories(where);
  InkanHome h{inkan, where / "data", where / "passphrase"};
  write_0600(h.passphrase, std::string(kPassphrase) + "\n");
  std::vector<std::string> init{"init", "--name", "Bench"};
  if (ca == CaKind::EcP256) init.insert(init.end(), {"--root-key", "ec-p256", "--issuing-key", "ec-p256"});
  run_checked(inkan_spec(h, init), where / "init");
  run_checked(inkan_spec(h, {"tenant", "add", "bench", "--name", "Bench"}), where / "tenant");
  return h;
}

Throughput crypto_floor(const InkanHome& home, KeyType key, std::int64_t certs, unsigned threads) {
  // Exactly what a batch worker calls per certificate, on the CA and data key of `home`.
  auto store = service::open_data_dir(home.dir);
  auto keyring = service::Keyring::unlock(*store, kPassphrase);
  const auto& signer = keyring.issuing_ca(*store);
  const auto ctx = service::load_issuance_context(*store, "bench");
  SystemClock clock;
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  auto loop = [&] {
    auto rng = crypto::Rng::system();
    try {
      for (std::int64_t i; (i = next.fetch_add(1)) < certs;) {
        service::IssuanceSpec spec{"bench", "floor-" + std::to_string(i), CertKind::Terminal, key, {}, {}, {}, {}};
        auto plan = service::plan_issuance(ctx, spec, clock.now(), *rng);
        auto pkg = service::sign_and_package(signer, plan, ctx.chain_der, keyring.data_key(), P12Profile::Compat,
                                             clock.now(), *rng);
        if (pkg.issued.credential->p12.empty()) failed = true;
      }
    } catch (...) {
      failed = true;
    }
  };
  const double cpu0 = self_cpu_seconds();
  Stopwatch watch;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(loop);
  for (auto& t : pool) t.join();
  Throughput r{certs, watch.seconds(), self_cpu_seconds() - cpu0};
  if (failed) throw std::runtime_error("the crypto floor loop failed");
  return r;
}

InkanBatchRun inkan_batch(const fs::path& inkan, const fs::path& where, CaKind ca, KeyType key, std::int64_t certs,
                          unsigned jobs) {
  auto home = make_inkan_home(inkan, where, ca);
  std::string csv = "tenant,cn,kind,email\r\n";
  for (std::int64_t i = 0; i < certs; ++i) csv += "bench,terminal-" + std::to_string(i) + ",,\r\n";
  const auto csv_file = where / "batch.csv";
  write_0600(csv_file, csv);
  auto r = run_checked(inkan_spec(home, {"batch", "issue", "--from", csv_file.string(), "--key", key_name(key), "--out",
                                         (where / "out").string(), "--jobs", std::to_string(jobs)}),
                       where / "batch");
  InkanBatchRun out;
  out.wall = {certs, r.seconds, r.user_seconds + r.system_seconds};
  out.max_rss_kib = r.max_rss_kib;
  out.cpu_seconds = r.user_seconds + r.system_seconds;
  // "Batch job 1: issued 10000 new certificates in 8.01 s (1248 certs/s, 2 workers); ..."
  const auto summary = slurp(where / "batch.out");
  std::smatch m;
  if (std::regex_search(summary, m, std::regex(R"(issued (\d+) new certificates in ([0-9.]+) s)"))) {
    if (std::stoll(m[1]) != certs) throw std::runtime_error("inkan batch issued " + m[1].str() + " of " + std::to_string(certs));
    out.engine_rate = static_cast<double>(certs) / std::stod(m[2]);
  } else {
    throw std::runtime_error("unexpected inkan batch summary: " + summary);
  }
  return out;
}

namespace {

// What a sysadmin writes: one openssl call per step, a random password per p12 (bash's
// $SRANDOM, a builtin: no process), the clientAuth profile from an extension file.
constexpr const char* kPipelineScript = R"SH(set -eu
key="$1"; n="$2"; cd "$3"; ca="$4"
case "$key" in
  ec-p256) genkey="-algorithm EC -pkeyopt ec_paramgen_curve:P-256" ;;
  rsa-2048) genkey="-algorithm RSA -pkeyopt rsa_keygen_bits:2048" ;;
esac
case "$ca" in
  ec-p256) cakey="-newkey ec -pkeyopt ec_paramgen_curve:P-256" ;;
  rsa-3072) cakey="-newkey rsa:3072" ;;
esac
openssl req -x509 $cakey -nodes -keyout ca.key -out ca.pem \
  -subj "/O=Bench/CN=Bench OpenSSL CA" -days 3650 2>/dev/null
chmod 600 ca.key
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > ext.cnf
mkdir -p out
for i in $(seq 1 "$n"); do
  cn="terminal-$i"
  openssl genpkey $genkey -out "out/$cn.key" 2>/dev/null
  openssl req -new -key "out/$cn.key" -subj "/O=Bench/CN=$cn" -out "out/$cn.csr"
  openssl x509 -req -in "out/$cn.csr" -CA ca.pem -CAkey ca.key -set_serial "$SRANDOM$SRANDOM$i" \
    -days 1095 -sha256 -extfile ext.cnf -out "out/$cn.pem" 2>/dev/null
  ( umask 077; printf '%s%s%s\n' "$SRANDOM" "$SRANDOM" "$SRANDOM" > "out/$cn.pass" )
  openssl pkcs12 -export -inkey "out/$cn.key" -in "out/$cn.pem" -certfile ca.pem -name "$cn" \
    -passout "file:out/$cn.pass" -out "out/$cn.p12"
done
)SH";

}  // namespace

Throughput openssl_pipeline(const fs::path& where, CaKind ca, KeyType key, std::int64_t certs) {
  fs::create_directories(where);
  const auto script = where / "pipeline.sh";
  write_0600(script, kPipelineScript);
  ProcessSpec s;
  s.argv = {"bash", script.string(), key_name(key), std::to_string(certs), where.string(), to_string(ca)};
  auto r = run_checked(s, where / "pipeline");
  if (!fs::exists(where / "out" / ("terminal-" + std::to_string(certs) + ".p12")))
    throw std::runtime_error("the openssl pipeline wrote no p12");
  return {certs, r.seconds, r.user_seconds + r.system_seconds};
}

}  // namespace inkan::bench::batchbench
