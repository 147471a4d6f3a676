#include "tests/bench/measure.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace inkan::bench {
namespace fs = std::filesystem;

double percentile(std::vector<double> sample, double p) {
  if (sample.empty()) return 0;
  std::sort(sample.begin(), sample.end());
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sample.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(rank));
  const auto hi = std::min(lo + 1, sample.size() - 1);
  return sample[lo] + (sample[hi] - sample[lo]) * (rank - static_cast<double>(lo));
}

namespace {

std::optional<std::int64_t> vm_hwm(const std::string& status_file) {
  std::ifstream in(status_file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));  // "VmHWM:   1234 kB"
  return std::nullopt;
}

}  // namespace

double self_cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

std::optional<std::int64_t> self_peak_rss_kib() { return vm_hwm("/proc/self/status"); }
std::optional<std::int64_t> peak_rss_kib(pid_t pid) { return vm_hwm("/proc/" + std::to_string(pid) + "/status"); }

MachineDescription describe_machine() {
  MachineDescription m;
  cpu_set_t set;
  CPU_ZERO(&set);
  m.nproc = sched_getaffinity(0, sizeof set, &set) == 0 ? static_cast<unsigned>(CPU_COUNT(&set)) : 0;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    auto colon = line.find(':');
    if (colon != std::string::npos) m.cpu_model = line.substr(line.find_first_not_of(' ', colon + 1));
    break;
  }
  utsname u{};
  if (uname(&u) == 0) m.kernel = std::string(u.sysname) + " " + u.release;
  std::ifstream("/proc/loadavg") >> m.load1 >> m.load5 >> m.load15;
  return m;
}

double load_average_1min() {
  double l = 0;
  std::ifstream("/proc/loadavg") >> l;
  return l;
}

std::string to_string(const MachineDescription& m) {
  return "nproc " + std::to_string(m.nproc) + ", " + (m.cpu_model.empty() ? "unknown CPU" : m.cpu_model) + " (" +
         m.kernel + "), load " + fixed(m.load1, 2) + " / " + fixed(m.load5, 2) + " / " + fixed(m.load15, 2);
}

// ---- processes -----------------------------------------------------------------------------

namespace {

struct FileActions {
  posix_spawn_file_actions_t fa;
  FileActions() { posix_spawn_file_actions_init(&fa); }
  ~FileActions() { posix_spawn_file_actions_destroy(&fa); }
  void open(int fd, const fs::path& p, int flags) {
    const std::string path = p.empty() ? "/dev/null" : p.string();
    posix_spawn_file_actions_addopen(&fa, fd, path.c_str(), flags, 0600);
  }
};

std::vector<std::string> environment(const ProcessSpec& s) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    const std::string kv(*e);
    const auto name = kv.substr(0, kv.find('='));
    if (s.env.count(name) || std::find(s.unset_env.begin(), s.unset_env.end(), name) != s.unset_env.end()) continue;
    out.push_back(kv);
  }
  for (const auto& [k, v] : s.env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Process::Process(const ProcessSpec& spec) {
  if (spec.argv.empty()) throw std::runtime_error("Process: empty argv");
  FileActions fa;
  fa.open(0, spec.stdin_file, O_RDONLY);
  fa.open(1, spec.stdout_file, O_WRONLY | O_CREAT | O_TRUNC);
  fa.open(2, spec.stderr_file, O_WRONLY | O_CREAT | O_TRUNC);
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa.fa, spec.cwd.c_str());
  auto args = spec.argv;
  auto env = environment(spec);
  auto argp = pointers(args);
  auto envp = pointers(env);
  started_.restart();
  const int rc = posix_spawnp(&pid_, argp[0], &fa.fa, nullptr, argp.data(), envp.data());
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + spec.argv[0] + ": " + std::strerror(rc));
  }
}

Process::Process(Process&& o) noexcept : pid_(o.pid_), started_(o.started_) { o.pid_ = -1; }

Process::~Process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

void Process::kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

ProcessResult Process::wait() {
  ProcessResult r;
  if (pid_ <= 0) return r;
  int status = 0;
  rusage ru{};
  while (::wait4(pid_, &status, 0, &ru) < 0 && errno == EINTR) {
  }
  r.seconds = started_.seconds();
  pid_ = -1;
  if (WIFEXITED(status)) r.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.max_rss_kib = ru.ru_maxrss;  // KiB on Linux
  r.user_seconds = static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) / 1e6;
  r.system_seconds = static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) / 1e6;
  return r;
}

ProcessResult run_process(const ProcessSpec& spec) { return Process(spec).wait(); }

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

}  // namespace inkan::bench
