#pragma once
// What the server and store benchmarks need around them: a private temporary directory, child
// processes (inkan, openssl s_server) that are always stopped, the inkan binary, a free
// loopback port, and small statistics. Children get no secret in argv: passphrases go by file.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace inkan::bench {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start);

// mkdtemp under $TMPDIR (or /tmp), mode 0700, removed with its contents on destruction unless
// keep() was called.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  void keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

// A child process with stdout and stderr sent to files. The destructor kills (SIGKILL) and
// reaps it if it is still running, so error paths never leave a server behind.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::filesystem::path& out, const std::filesystem::path& err);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  pid_t pid() const { return pid_; }
  bool running();          // false once it exited (reaped)
  int stop(int signal);    // sends the signal, waits; returns the exit status (128+sig if killed)
  int wait();              // exit status

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// Runs to completion; throws std::runtime_error with the tail of stderr when it fails.
void run_checked(const std::vector<std::string>& argv, const std::filesystem::path& log_dir);

// --inkan PATH among the arguments, else $INKAN_BIN; throws when neither names an executable.
std::string inkan_binary(const std::vector<std::string>& args);
// The value after `flag` in args, or `fallback`.
std::string arg_value(const std::vector<std::string>& args, const std::string& flag, const std::string& fallback);

int free_loopback_port();
void write_private_file(const std::filesystem::path& path, const std::string& content);  // 0600
std::string read_file(const std::filesystem::path& path);

// User + system CPU seconds a live process has used so far (/proc/PID/stat), threads included:
// a server's CPU per request does not depend on how busy the machine was.
double process_cpu_seconds(pid_t pid);

// "load 1.23 0.98 0.77" from /proc/loadavg.
std::string load_average();

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};
Percentiles percentiles(std::vector<double> values);
double median(std::vector<double> values);

}  // namespace inkan::bench
