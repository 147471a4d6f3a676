// inkan crl: sign and write a fresh CRL for the issuing CA, for one given CA (--ca), or for
// every issuing CA whose key is held (--all): after a rollover the old issuing CA keeps
// publishing the CRL of its own certificates.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/keys/ca_rollover.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct CrlArgs {
  std::string out, out_dir;
  bool pem = false, all = false;
  std::int64_t ca_id = 0;
  int days = 7;
};

std::string encode(const service::PublishedCrl& crl, bool pem) {
  return pem ? crypto::pem_encode(crl.der, "X509 CRL") : std::string(crl.der.begin(), crl.der.end());
}

void report(const service::PublishedCrl& crl, const std::string& what, const std::string& file) {
  std::cerr << "Wrote CRL number " << crl.number << " with " << crl.entries << " entries" << what << " to " << file
            << " (next update " << format_rfc3339(crl.next_update) << ")\n";
}

// One file per issuing CA: DIR/ca-<id>.crl (DER) or .crl.pem.
void publish_all(const CrlArgs& a, Context& ctx) {
  if (a.out_dir.empty()) throw Error(ErrorCode::InvalidArgument, "--all needs --out-dir DIR");
  ensure_writable_dir(a.out_dir);
  auto cas = service::crl_signing_cas(ctx.store());
  if (cas.empty()) throw Error(ErrorCode::InvalidState, "no issuing CA holds a key here: nothing to publish");
  std::error_code ec;
  std::filesystem::create_directories(a.out_dir, ec);  // CRLs are public: the default mode is fine
  if (ec) throw Error(ErrorCode::Io, "cannot create output directory " + a.out_dir + ": " + ec.message());
  service::Revocation revocation(ctx.store(), ctx.clock(), ctx.actor());
  for (const auto& ca : cas) {
    auto crl = revocation.publish_crl(ctx.keyring(), ctx.rng(), std::chrono::hours(24 * a.days), ca.id);
    auto file = (std::filesystem::path(a.out_dir) / ("ca-" + std::to_string(ca.id) + (a.pem ? ".crl.pem" : ".crl"))).string();
    write_public_file(file, encode(crl, a.pem));
    report(crl, " of " + ca.subject + (ca.active ? " (active)" : ""), file);
    std::cout << file << "\n";
  }
}

void run_crl(const CrlArgs& a, Context& ctx) {
  if (a.all) return publish_all(a, ctx);
  if (!a.out_dir.empty()) throw Error(ErrorCode::InvalidArgument, "--out-dir goes with --all; use --out FILE for one CRL");
  std::optional<std::int64_t> ca_id;
  if (a.ca_id) {
    auto ca = ctx.store().cas().find(a.ca_id);
    if (!ca || ca->role != CaRole::Issuing)
      throw Error(ErrorCode::NotFound, "no issuing CA with id " + std::to_string(a.ca_id) + " (see `inkan ca list`)");
    ca_id = a.ca_id;
  }
  // Checked before anything is signed: a CRL number spent on a terminal full of DER is lost.
  if (a.out.empty() && !a.pem && ::isatty(STDOUT_FILENO))
    throw Error(ErrorCode::InvalidArgument,
                "not writing a binary CRL to the terminal: pass --out FILE, or --pem, or redirect stdout");
  service::Revocation revocation(ctx.store(), ctx.clock(), ctx.actor());
  auto crl = revocation.publish_crl(ctx.keyring(), ctx.rng(), std::chrono::hours(24 * a.days), ca_id);
  if (a.out.empty()) {
    std::cout << encode(crl, a.pem);
  } else {
    write_public_file(a.out, encode(crl, a.pem));
    report(crl, "", a.out);
  }
}

}  // namespace

void add_crl(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CrlArgs>();
  auto* cmd = app.add_subcommand("crl", "Publish a v2 CRL signed by the issuing CA");
  cmd->footer("CRL numbers strictly increase. Without --out the CRL goes to stdout.\n"
              "After a rollover each issuing CA signs the CRL of its own certificates:\n"
              "  inkan crl --ca ID --out FILE       one CA (ids from `inkan ca list`)\n"
              "  inkan crl --all --out-dir DIR      every issuing CA, DIR/ca-<id>.crl");
  cmd->add_option("--out", a->out, "Output file")->type_name("FILE");
  cmd->add_flag("--pem", a->pem, "PEM instead of DER");
  cmd->add_option("--next-update-days", a->days, "Days until nextUpdate")->capture_default_str()->check(CLI::Range(1, 365));
  auto* ca = cmd->add_option("--ca", a->ca_id, "The issuing CA whose CRL to publish (default: the active one)")
                 ->type_name("ID");
  auto* all = cmd->add_flag("--all", a->all, "Publish the CRL of every issuing CA whose key is held here");
  cmd->add_option("--out-dir", a->out_dir, "With --all: directory for DIR/ca-<id>.crl")->type_name("DIR");
  all->excludes(ca);
  all->excludes("--out");
  cmd->callback([a, &ctx] { run_crl(*a, ctx); });
}

}  // namespace inkan::cli
