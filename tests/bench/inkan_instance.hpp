#pragma once
// A data directory driven through the real `inkan` CLI (passphrase by file, never argv), the
// credentials it hands out, and `inkan serve` on a free loopback port.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/bench/bench_process.hpp"
#include "tests/bench/tls_load.hpp"

namespace inkan::bench {

class InkanDir {
 public:
  // Creates root/passphrase.txt (0600); the data directory is root/data.
  InkanDir(std::string binary, std::filesystem::path root);
  std::vector<std::string> command(const std::vector<std::string>& args) const;
  void run(const std::vector<std::string>& args) const;  // throws with stderr on failure

  // inkan init with these CA keys, then `tenant add` for each id.
  void init(const std::string& root_key, const std::string& issuing_key, const std::vector<std::string>& tenants) const;

  // `inkan batch issue` of `count` ec-p256 certificates for `tenant` whose notBefore leaves
  // `days_left` days of their 3-year validity (inside the 90-day renewal window when below 90),
  // read back as client credentials. Their p12 profile is also that of their renewals.
  std::vector<std::shared_ptr<ClientCredential>> issue_in_window(const std::string& tenant, int count,
                                                                 int days_left, const std::string& tag,
                                                                 const std::string& p12_profile = "compat") const;

  const std::string& binary() const { return binary_; }
  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path data() const { return root_ / "data"; }
  std::filesystem::path database() const { return data() / "inkan.db"; }
  std::filesystem::path passphrase_file() const { return root_ / "passphrase.txt"; }
  std::string passphrase() const { return kPassphrase; }

 private:
  static constexpr const char* kPassphrase = "inkan-bench passphrase 4c1d";
  std::string binary_;
  std::filesystem::path root_;
};

// `inkan serve --listen 127.0.0.1:PORT`; stopped with SIGTERM (SIGKILL if it must) on
// destruction.
class ServeProcess {
 public:
  explicit ServeProcess(const InkanDir& dir, const std::vector<std::string>& extra_args = {});
  ~ServeProcess();
  int port() const { return port_; }
  // Polls GET / with `credential` until it answers 200 (fresh connections); returns the seconds
  // since the process was started. Throws after `timeout_s` or when the process exits.
  double wait_until_serving(const ClientCredential& credential, double timeout_s);
  int stop();  // SIGTERM, then the exit status
  pid_t pid() const { return child_->pid(); }
  std::string log_tail() const;

 private:
  const InkanDir& dir_;
  int port_;
  Clock::time_point started_;
  std::unique_ptr<Child> child_;
};

}  // namespace inkan::bench
