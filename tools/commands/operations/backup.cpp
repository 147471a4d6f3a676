// inkan backup: one file with a consistent snapshot of the store and a checksum manifest.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/service/backup/backup.hpp"
#include "ca/service/backup/backup_manifest.hpp"
#include "cli/context.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

// Small stores finish in a blink; progress lines would only be noise.
constexpr std::int64_t kProgressFromPages = 2560;  // 10 MiB of 4 KiB pages

// Prints "inkan backup: <phase> N%" on stderr at every 10% for large databases.
class ProgressPrinter {
 public:
  void operator()(service::BackupPhase phase, std::int64_t done, std::int64_t total) {
    if (phase == service::BackupPhase::Snapshot) large_ = large_ || total >= kProgressFromPages;
    if (!large_ || total <= 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (phase != phase_) {
      phase_ = phase;
      bucket_ = -1;
    }
    if (percent / 10 == bucket_) return;
    bucket_ = percent / 10;
    std::cerr << "inkan backup: " << (phase == service::BackupPhase::Snapshot ? "snapshot " : "archive ")
              << percent << "%";
    if (phase == service::BackupPhase::Snapshot) std::cerr << " (" << done << "/" << total << " pages)";
    std::cerr << "\n";
  }

 private:
  bool large_ = false;
  service::BackupPhase phase_ = service::BackupPhase::Snapshot;
  int bucket_ = -1;
};

void run_backup(const std::string& out, const std::string& format, Context& ctx) {
  ProgressPrinter printer;
  auto progress = [&printer](service::BackupPhase p, std::int64_t d, std::int64_t t) { printer(p, d, t); };
  // The data key authenticates the manifest (manifest.mac), so the passphrase is needed here too.
  const auto m = service::create_backup(ctx.store(), ctx.keyring().data_key(), out, ctx.clock(), progress);
  if (format == "json") {  // the file and the manifest it holds, as restore will check it
    std::cout << nlohmann::json{{"file", out}, {"mode", "0600"}, {"manifest", nlohmann::json::parse(service::to_json(m))}}
                     .dump(2)
              << "\n";
    return;
  }
  const auto& c = m.content;
  std::cout << "backup written to " << out << " (mode 0600)\n"
            << "  created " << ctx.local_time(m.created_at, TimeStyle::Second) << " by inkan " << m.inkan_version << ", schema "
            << c.schema_version << "\n"
            << "  " << c.certificates << " certificates, " << c.tenants << " tenants, " << c.cas << " CAs, "
            << c.audit_entries << " audit entries\n";
  for (const auto& f : m.files)
    std::cout << "  " << f.name << ": " << f.size << " bytes, sha256 " << f.sha256 << "\n";
  std::cout << "  manifest.mac: HMAC-SHA-256 under a key derived from the data key (restore verifies it)\n"
            << "The CA keys and p12 passwords inside stay encrypted under the operator passphrase:\n"
               "keep the passphrase, apart from the backup, to use it.\n";
}

}  // namespace

void add_backup(CLI::App& app, Context& ctx) {
  auto out = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto* cmd = app.add_subcommand("backup", "Write a consistent backup of the data directory to one file");
  cmd->footer("Safe while other inkan processes (a batch, the server) keep writing. The file holds the\n"
              "database snapshot and a manifest with checksums; it is never overwritten.\n"
              "Example: inkan backup --out /backup/inkan-$(date +%F).inkanbak");
  cmd->add_option("--out", *out, "The backup file to create (must not exist)")->required()->type_name("FILE");
  cmd->add_option("--format", *format, "text|json (json: {file, mode, manifest}, the manifest as in the archive)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([out, format, &ctx] { run_backup(*out, *format, ctx); });
}

}  // namespace inkan::cli
