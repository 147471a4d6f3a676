// inkan lint FILE...: the linter every issuance passes through, on any certificate or CRL
// (PEM, several blocks allowed, or DER). Needs no data directory and no passphrase.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/lint/certificate_lint.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/input_file.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

constexpr std::size_t kMaxLintInput = 64u << 20;  // a CRL of a million entries fits

struct LintArgs {
  std::vector<std::string> files;
  std::string issuer, format = "text";
  bool list_rules = false;
};

enum class ObjectKind { Certificate, Crl };

struct LintTarget {
  std::string label;  // "FILE" or "FILE#2"
  ObjectKind kind;
  Bytes der;
};

bool has_block(const std::string& text, std::string_view label) {
  return text.find("-----BEGIN " + std::string(label) + "-----") != std::string::npos;
}

// Every certificate and CRL in the file. DER is told apart by trying the certificate grammar:
// the linter itself reports whatever is wrong with it.
std::vector<LintTarget> targets_in(const std::string& path) {
  const auto text = read_input_file(path, kMaxLintInput);
  std::vector<LintTarget> out;
  auto add_blocks = [&](std::string_view label, ObjectKind kind) {
    if (!has_block(text, label)) return;
    for (auto& der : crypto::pem_decode_all(text, label)) out.push_back({path, kind, std::move(der)});
  };
  add_blocks("CERTIFICATE", ObjectKind::Certificate);
  add_blocks("X509 CRL", ObjectKind::Crl);
  if (out.empty()) {
    if (text.find("-----BEGIN ") != std::string::npos)
      throw Error(ErrorCode::InvalidArgument, path + " holds no CERTIFICATE or X509 CRL block");
    Bytes der(text.begin(), text.end());
    const bool crl = lint::lint_certificate(der).fired(lint::LintRule::DerMalformed) &&
                     !lint::lint_crl(der).fired(lint::LintRule::DerMalformed);
    out.push_back({path, crl ? ObjectKind::Crl : ObjectKind::Certificate, std::move(der)});
  }
  if (out.size() > 1)
    for (std::size_t i = 0; i < out.size(); ++i) out[i].label += "#" + std::to_string(i + 1);
  return out;
}

void print_rules() {
  for (const auto& r : lint::all_rules())
    std::cout << r.id << "\t" << r.citation << "\t" << r.summary << "\n";
}

void run_lint(const LintArgs& a) {
  std::optional<Bytes> issuer;
  if (!a.issuer.empty()) {
    auto text = read_input_file(a.issuer, kMaxLintInput);
    issuer = has_block(text, "CERTIFICATE") ? crypto::pem_decode_all(text, "CERTIFICATE").front()
                                            : Bytes(text.begin(), text.end());
  }
  bool failed = false;
  auto report_json = nlohmann::json::array();
  for (const auto& file : a.files) {
    for (const auto& t : targets_in(file)) {
      const auto report = t.kind == ObjectKind::Crl ? lint::lint_crl(t.der, issuer) : lint::lint_certificate(t.der, issuer);
      failed = failed || report.has_errors();
      const char* kind = t.kind == ObjectKind::Crl ? "crl" : "certificate";
      if (a.format == "json") {
        auto findings = nlohmann::json::array();
        for (const auto& f : report.findings) {
          const auto& r = lint::info(f.rule);
          findings.push_back({{"rule", r.id}, {"severity", r.severity == lint::Severity::Error ? "error" : "warning"},
                              {"citation", r.citation}, {"summary", r.summary}, {"detail", f.detail}});
        }
        report_json.push_back({{"file", t.label}, {"kind", kind}, {"ok", !report.has_errors()}, {"findings", findings}});
        continue;
      }
      std::cout << t.label << " (" << kind << "): " << (report.has_errors() ? "FAIL" : "ok") << "\n";
      std::cout << report.describe();
    }
  }
  if (a.format == "json") std::cout << report_json.dump(2) << "\n";
  if (failed) throw ExitStatus{kExitUnhealthy};
}

}  // namespace

void add_lint(CLI::App& app, Context&) {
  auto a = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand("lint", "Lint certificates and CRLs against RFC 5280 and the inkan profiles");
  cmd->footer(
      "Every certificate inkan signs passes these rules before it is stored. Exit status 0 when\n"
      "nothing of error severity fired (warnings allowed), 1 when something did.\n"
      "Without --issuer, a self-signed certificate is checked against itself and the issuer\n"
      "checks (name, key id, signature, validity) are skipped for the rest.\n"
      "  inkan lint client.pem --issuer issuing-ca.pem\n"
      "  inkan lint crl.der --issuer issuing-ca.pem --format json\n"
      "  inkan lint --rules");
  cmd->add_option("files", a->files, "PEM (any number of CERTIFICATE / X509 CRL blocks) or DER files");
  cmd->add_option("--issuer", a->issuer, "The issuer's certificate (PEM or DER)");
  cmd->add_option("--format", a->format, "text|json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_flag("--rules", a->list_rules, "List every rule with its citation and exit");
  cmd->callback([a] {
    if (a->list_rules) return print_rules();
    if (a->files.empty()) throw Error(ErrorCode::InvalidArgument, "name at least one file to lint (or --rules)");
    run_lint(*a);
  });
}

}  // namespace inkan::cli
