// inkan notify expiring: expiry mail to each tenant's administrators through an SMTP relay
// (ca/service/notify/, mail/). Meant for a daily systemd timer (inkan-notify.timer).
#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ca/domain/error.hpp"
#include "ca/service/notify/expiry_notifier.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"
#include "mail/smtp_transport.hpp"

namespace inkan::cli {
namespace {

struct NotifyArgs {
  std::string smtp, from, credentials_file, ca_file, thresholds = "90,30,7";
  bool starttls = false, no_expired = false, dry_run = false;
};

std::vector<int> parse_thresholds(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    int d = 0;
    try {
      std::size_t used = 0;
      d = std::stoi(part, &used);
      if (used != part.size()) d = 0;
    } catch (const std::exception&) {
    }
    if (d < 1 || d > 3650)
      throw Error(ErrorCode::InvalidArgument, "--thresholds: '" + part + "' is not a number of days (1-3650)");
    out.push_back(d);
  }
  return out;
}

// user name on the first line, password on the second; a file others may read is refused.
void read_credentials(const std::string& path, mail::SmtpSettings& s) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::Io, "cannot read the SMTP credentials file " + path + ": " + std::strerror(errno));
  struct stat st {};
  const bool open_to_others = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0;
  std::string text;
  char buf[512];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0 && text.size() < 8192;) text.append(buf, static_cast<std::size_t>(n));
  ::explicit_bzero(buf, sizeof buf);
  ::close(fd);
  if (open_to_others) {
    ::explicit_bzero(text.data(), text.size());
    throw Error(ErrorCode::InvalidArgument, "SMTP credentials file " + path + " is open to group or others: run `chmod 600 " + path + "`");
  }
  const auto nl = text.find('\n');
  std::string user = text.substr(0, nl), password = nl == std::string::npos ? "" : text.substr(nl + 1);
  ::explicit_bzero(text.data(), text.size());
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  if (!user.empty() && user.back() == '\r') user.pop_back();
  if (user.empty() || password.empty()) {
    ::explicit_bzero(password.data(), password.size());
    throw Error(ErrorCode::InvalidArgument, "SMTP credentials file " + path + ": the user name on the first line, the password on the second");
  }
  s.username = std::move(user);
  s.password.emplace(std::move(password));
}

// --dry-run: the messages on stdout, nothing sent, nothing recorded.
void print_plan(const service::NotifyPlan& plan) {
  for (const auto& n : plan.notices) {
    std::cout << "To: " << n.mail.to << "\nSubject: " << n.mail.subject << "\n\n" << n.mail.body << "\n-----\n";
  }
  std::cout << plan.notices.size() << " message(s) would be sent (dry run: nothing sent, nothing recorded)\n";
}

}  // namespace

void add_notify(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<NotifyArgs>();
  auto* notify = app.add_subcommand("notify", "Send mail about certificates");
  notify->require_subcommand(1);
  auto* cmd = notify->add_subcommand("expiring", "Mail each tenant's administrators about certificates that expire soon");
  cmd->add_option("--smtp", a->smtp, "Mail relay: smtp://HOST:PORT (smtps:// for TLS from the start)")->type_name("URL");
  cmd->add_option("--from", a->from, "Sender address (From: and the envelope)")->type_name("ADDRESS");
  cmd->add_flag("--starttls", a->starttls, "Require STARTTLS on an smtp:// relay");
  cmd->add_option("--smtp-credentials", a->credentials_file,
                  "File (0600) with the SMTP user name on its first line and the password on its second")
      ->type_name("FILE");
  cmd->add_option("--smtp-ca-file", a->ca_file, "CA certificates (PEM) that vouch for the relay's TLS certificate")
      ->type_name("FILE");
  cmd->add_option("--thresholds", a->thresholds, "Days before notAfter at which to announce, comma-separated")
      ->capture_default_str()->type_name("DAYS,...");
  cmd->add_flag("--no-expired", a->no_expired, "Do not announce certificates that already expired");
  cmd->add_flag("--dry-run", a->dry_run, "Print the messages instead of sending them; record nothing");
  cmd->footer(
      "Each tenant administrator with an e-mail address (inkan user add/set --email) gets one message per\n"
      "threshold, in their language (--language ja|en), listing their tenant's certificates that reached it\n"
      "(90, 30 and 7 days by default, and expired). A certificate is announced to each administrator once per\n"
      "threshold, however often this runs; renewed or revoked certificates are not announced again. A notice\n"
      "is recorded and audited only once the relay accepted it: when the relay refuses or is down, the\n"
      "command exits 9 with the relay's answer and the next run sends what is left.\n"
      "\n"
      "Example (daily, from inkan-notify.timer):\n"
      "  inkan notify expiring --smtp smtp://relay.example:25 --from inkan@ca.example\n"
      "See docs/operations.md, \"Expiry mail\".");
  cmd->callback([a, &ctx] {
    service::NotifyPolicy policy;
    policy.threshold_days = parse_thresholds(a->thresholds);
    policy.expired = !a->no_expired;
    if (!a->dry_run) {
      if (a->smtp.empty()) throw Error(ErrorCode::InvalidArgument, "give --smtp smtp://HOST:PORT (or --dry-run)");
      if (a->from.empty()) throw Error(ErrorCode::InvalidArgument, "give --from ADDRESS");
      if (!a->smtp.starts_with("smtp://") && !a->smtp.starts_with("smtps://"))
        throw Error(ErrorCode::InvalidArgument, "--smtp must be smtp://HOST:PORT or smtps://HOST:PORT, got '" + a->smtp + "'");
    }
    mail::SmtpSettings settings;
    settings.url = a->smtp;
    settings.from = a->from;
    settings.starttls = a->starttls;
    if (!a->ca_file.empty()) settings.ca_file = a->ca_file;
    if (!a->credentials_file.empty()) read_credentials(a->credentials_file, settings);

    service::ExpiryNotifier notifier(ctx.store(), ctx.clock(), ctx.actor());
    const auto plan = notifier.plan(policy);
    for (const auto& name : plan.without_address)
      std::cerr << "inkan: administrator " << name << " has certificates to hear about but no e-mail address "
                << "(inkan user set " << name << " --email ADDRESS)\n";
    if (a->dry_run) return print_plan(plan);
    if (plan.notices.empty()) {
      std::cout << "Nothing to announce.\n";
      return;
    }
    mail::SmtpTransport transport(std::move(settings), ctx.clock(), ctx.rng());
    std::size_t done = 0;
    try {
      auto r = notifier.send(plan, transport, [&](const service::PlannedNotice& n) {
        ++done;
        std::cout << "[" << done << "/" << plan.notices.size() << "] sent to " << n.mail.to << " (" << n.tenant_id
                  << ", " << n.threshold << (n.threshold == "expired" ? "" : " days") << ", " << n.serials.size()
                  << " certificate(s))" << std::endl;
      });
      std::cout << "Sent " << r.messages << " message(s) announcing " << r.certificates << " certificate notice(s).\n";
    } catch (const Error&) {
      std::cout << "Sent " << done << " of " << plan.notices.size() << " message(s); the rest are sent by the next run.\n";
      throw;
    }
  });
}

}  // namespace inkan::cli
