#pragma once
// The three contenders of `inkan-bench batch`, each run as users run it:
//  - the crypto floor: ca/service's own sign_and_package (keygen + CA signature + PKCS#12 +
//    password sealing, the parameters of issuance) in a loop on T threads, in process;
//  - `inkan batch issue` (the real binary) on a generated CSV, into a fresh data directory;
//  - the OpenSSL CLI pipeline a sysadmin would script (bash: genpkey, req, x509 -req,
//    pkcs12 -export per certificate), with a CA made by openssl.
// Secrets never go in argv: the passphrase goes to inkan by INKAN_PASSPHRASE_FILE (0600), the
// p12 passwords to openssl by file:.
#include <cstdint>
#include <filesystem>
#include <string>

#include "ca/domain/enums.hpp"

namespace inkan::bench::batchbench {

// A private (0700) working directory under $TMPDIR, removed on destruction.
class Scratch {
 public:
  Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The issuing CA of a run: ec-p256 (`init --root-key ec-p256 --issuing-key ec-p256`) or
// rsa-3072, the default (`init` without key options: rsa-4096 root, rsa-3072 issuing CA). Its
// signature is part of every certificate, so the floor, inkan and the OpenSSL pipeline of one row
// use the same kind of CA.
enum class CaKind { EcP256, Rsa3072 };
std::string to_string(CaKind ca);

// An initialised inkan data directory with that CA and one tenant "bench".
struct InkanHome {
  std::filesystem::path inkan;       // the binary
  std::filesystem::path dir;         // INKAN_DIR
  std::filesystem::path passphrase;  // INKAN_PASSPHRASE_FILE (0600)
};
InkanHome make_inkan_home(const std::filesystem::path& inkan, const std::filesystem::path& where, CaKind ca);

struct Throughput {
  std::int64_t certs = 0;
  double seconds = 0;
  double cpu_seconds = 0;  // user + system of the process while it ran (the floor: this process)
  double per_second() const { return seconds > 0 ? static_cast<double>(certs) / seconds : 0; }
};

// In process, on `threads` threads, `certs` in total, against home's issuing CA.
Throughput crypto_floor(const InkanHome& home, KeyType key, std::int64_t certs, unsigned threads);

struct InkanBatchRun {
  Throughput wall;            // the whole `inkan batch issue` process: unlock, issue, outputs
  double engine_rate = 0;     // the issuing part alone, as the command's summary prints it
  std::int64_t max_rss_kib = 0;
  double cpu_seconds = 0;     // user + system of the process
};

// `inkan batch issue --key K --jobs J` of `certs` rows into a fresh data directory under `where`.
InkanBatchRun inkan_batch(const std::filesystem::path& inkan, const std::filesystem::path& where, CaKind ca,
                          KeyType key, std::int64_t certs, unsigned jobs);

// The bash + openssl pipeline, sequential as scripts are, `certs` certificates, its CA made by
// openssl with the same key type as `ca`'s issuing CA.
Throughput openssl_pipeline(const std::filesystem::path& where, CaKind ca, KeyType key, std::int64_t certs);

}  // namespace inkan::bench::batchbench
