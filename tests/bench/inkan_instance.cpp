#include "tests/bench/inkan_instance.hpp"

#include <signal.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace inkan::bench {
namespace {

// YYYY-MM-DD, `days` days from today (UTC).
std::string date_in_days(int days) {
  const std::time_t t = std::time(nullptr) + std::time_t(days) * 86400;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// --not-before that leaves `days_left` days of a 3-year validity today.
std::string not_before_for(int days_left) {
  std::string d = date_in_days(days_left);
  int year = std::stoi(d.substr(0, 4)) - 3;
  if (d.substr(5) == "02-29") d = d.substr(0, 8) + "28";
  return std::to_string(year) + d.substr(4);
}

// One CSV cell of passwords.csv (RFC 4180 quoting).
std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

InkanDir::InkanDir(std::string binary, std::filesystem::path root) : binary_(std::move(binary)), root_(std::move(root)) {
  write_private_file(passphrase_file(), std::string(kPassphrase) + "\n");
}

std::vector<std::string> InkanDir::command(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{binary_, "--dir", data().string(), "--passphrase-file", passphrase_file().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void InkanDir::run(const std::vector<std::string>& args) const { run_checked(command(args), root_); }

void InkanDir::init(const std::string& root_key, const std::string& issuing_key,
                    const std::vector<std::string>& tenants) const {
  run({"init", "--name", "Bench CA", "--root-key", root_key, "--issuing-key", issuing_key});
  for (const auto& t : tenants) run({"tenant", "add", t, "--name", "Bench " + t});
}

std::vector<std::shared_ptr<ClientCredential>> InkanDir::issue_in_window(const std::string& tenant, int count,
                                                                         int days_left, const std::string& tag,
                                                                         const std::string& p12_profile) const {
  const auto csv = root_ / (tag + ".csv");
  std::string rows = "tenant,cn,kind,email\n";
  for (int i = 0; i < count; ++i) rows += tenant + "," + tag + "-" + std::to_string(i) + ",terminal,\n";
  write_private_file(csv, rows);
  const auto out = root_ / ("out-" + tag);
  run({"batch", "issue", "--from", csv.string(), "--out", out.string(), "--key", "ec-p256", "--not-before",
       not_before_for(days_left), "--p12-profile", p12_profile});
  std::vector<std::shared_ptr<ClientCredential>> creds;
  std::istringstream lines(read_file(out / tenant / "passwords.csv"));
  std::string line;
  std::getline(lines, line);  // header: file,serial,cn,password
  while (std::getline(lines, line)) {
    auto cells = csv_cells(line);
    if (cells.size() < 4) continue;
    creds.push_back(ClientCredential::from_p12(read_file(out / tenant / cells[0]), cells[3]));
  }
  if (static_cast<int>(creds.size()) != count)
    throw std::runtime_error("batch issue gave " + std::to_string(creds.size()) + " credentials, not " + std::to_string(count));
  return creds;
}

ServeProcess::ServeProcess(const InkanDir& dir, const std::vector<std::string>& extra_args)
    : dir_(dir), port_(free_loopback_port()) {
  std::vector<std::string> args{"serve", "--listen", "127.0.0.1:" + std::to_string(port_)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  started_ = Clock::now();
  child_ = std::make_unique<Child>(dir.command(args),
                                   dir.root() / ("serve-" + std::to_string(port_) + ".out"),
                                   dir.root() / ("serve-" + std::to_string(port_) + ".log"));
}

ServeProcess::~ServeProcess() {
  if (child_ && child_->running()) {
    ::kill(child_->pid(), SIGTERM);
    for (int i = 0; i < 100 && child_->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  child_.reset();  // SIGKILL and reap if still running
}

double ServeProcess::wait_until_serving(const ClientCredential& credential, double timeout_s) {
  TlsClient client;
  const auto request = get_request("/");
  std::string last;
  while (seconds_since(started_) < timeout_s) {
    if (!child_->running()) throw std::runtime_error("inkan serve exited:\n" + log_tail());
    auto r = client.exchange(port_, &credential, request);
    if (r.ok && r.status == 200) return seconds_since(started_);
    last = r.ok ? "status " + std::to_string(r.status) : r.error;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  throw std::runtime_error("inkan serve did not answer within " + std::to_string(timeout_s) + " s (" + last + ")\n" +
                           log_tail());
}

int ServeProcess::stop() { return child_->stop(SIGTERM); }

std::string ServeProcess::log_tail() const {
  std::string text = read_file(dir_.root() / ("serve-" + std::to_string(port_) + ".log"));
  return text.size() > 1500 ? text.substr(text.size() - 1500) : text;
}

}  // namespace inkan::bench
