#pragma once
// Measuring utilities shared by every benchmark of inkan-bench: a stopwatch, peak RSS (our own
// and a child's), percentiles, the machine's description, and child processes measured by
// wait4 (wall time, CPU time, peak RSS). Figures are only comparable next to the machine and load they were taken on,
// so every benchmark prints describe_machine() first.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace inkan::bench {

// Wall-clock time on the monotonic clock.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  void restart() { start_ = std::chrono::steady_clock::now(); }
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  double milliseconds() const { return seconds() * 1e3; }

 private:
  std::chrono::steady_clock::time_point start_;
};

// ---- statistics ----------------------------------------------------------------------------

// Linear interpolation between closest ranks; p in [0, 100] (50: the median). 0 for an empty
// sample.
double percentile(std::vector<double> sample, double p);

// ---- memory --------------------------------------------------------------------------------

// VmHWM of this process (peak resident set), in KiB; nullopt if /proc is unreadable.
std::optional<std::int64_t> self_peak_rss_kib();
// VmHWM of a live process by pid (read it before the process is reaped).
std::optional<std::int64_t> peak_rss_kib(pid_t pid);

// User + system CPU seconds this process has used so far, all threads (getrusage).
double self_cpu_seconds();

// ---- the machine ---------------------------------------------------------------------------

struct MachineDescription {
  unsigned nproc = 0;          // CPUs this process may run on (sched_getaffinity)
  std::string cpu_model;       // /proc/cpuinfo "model name"
  std::string kernel;          // uname -sr
  double load1 = 0, load5 = 0, load15 = 0;  // /proc/loadavg
};

MachineDescription describe_machine();
// The 1-minute load average now (to say how noisy a figure was).
double load_average_1min();
// "nproc 2, AMD EPYC 7B13 (Linux 6.1.0), load 0.31 / 0.80 / 1.20"
std::string to_string(const MachineDescription& m);

// ---- child processes -----------------------------------------------------------------------

struct ProcessSpec {
  std::vector<std::string> argv;             // argv[0] is the program (a path, or a name on PATH)
  std::map<std::string, std::string> env;    // set on top of this process's environment
  std::vector<std::string> unset_env;        // removed from the inherited environment
  std::filesystem::path cwd;                 // empty: inherit
  std::filesystem::path stdin_file;          // empty: /dev/null
  std::filesystem::path stdout_file;         // empty: /dev/null
  std::filesystem::path stderr_file;         // empty: /dev/null
};

struct ProcessResult {
  int exit_status = -1;       // -1 when killed by a signal
  int signal = 0;
  double seconds = 0;         // wall clock, spawn to reap
  std::int64_t max_rss_kib = 0;  // this child's peak RSS, from wait4's rusage
  double user_seconds = 0, system_seconds = 0;
};

// A started child; wait() reaps it. Destroyed unwaited, it is killed and reaped.
class Process {
 public:
  explicit Process(const ProcessSpec& spec);  // throws std::runtime_error when it cannot start
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  Process(Process&& other) noexcept;
  ~Process();

  pid_t pid() const { return pid_; }
  ProcessResult wait();
  void kill(int signal);

 private:
  pid_t pid_ = -1;
  Stopwatch started_;
};

// Process(spec).wait().
ProcessResult run_process(const ProcessSpec& spec);

// ---- printing ------------------------------------------------------------------------------

// Fixed-point text: fixed(12.345, 1) == "12.3".
std::string fixed(double value, int decimals);

}  // namespace inkan::bench
