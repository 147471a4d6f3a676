// inkan crl: sign and write a fresh CRL for the issuing CA, for one given CA (--ca), or for
// every issuing CA whose key is held (--all): after a rollover the old issuing CA keeps
// publishing the CRL of its own certificates.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/crl_urls.hpp"
#include "ca/service/keys/ca_rollover.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct CrlArgs {
  std::string out, out_dir, format = "text";
  bool pem = false, all = false;
  std::int64_t ca_id = 0;
  int days = 7;
};

std::string encode(const service::PublishedCrl& crl, bool pem) {
  return pem ? crypto::pem_encode(crl.der, "X509 CRL") : std::string(crl.der.begin(), crl.der.end());
}

// One published file, for --format json.
nlohmann::json crl_json(const service::PublishedCrl& crl, std::int64_t ca_id, const std::string& file, bool pem) {
  return {{"ca_id", ca_id},           {"file", file},
          {"encoding", pem ? "pem" : "der"}, {"crl_number", crl.number},
          {"entries", crl.entries},   {"this_update", format_rfc3339(crl.this_update)},
          {"next_update", format_rfc3339(crl.next_update)}};
}

void report(Context& ctx, const service::PublishedCrl& crl, const std::string& what, const std::string& file) {
  std::cerr << "Wrote CRL number " << crl.number << " with " << crl.entries << " entries" << what << " to " << file
            << " (next update " << ctx.local_time(crl.next_update) << ")\n";
}

// The files a CA's CRL goes to in DIR: one per URL its certificates name, under the URL's file
// name, so that DIR copied to the web server's root answers every URL; ca-<id>.crl when the CA
// has no URL of a usable file name. PEM adds ".pem".
std::vector<std::string> file_names(const std::vector<CaCrlUrl>& urls, std::int64_t ca_id, bool pem) {
  std::vector<std::string> names;
  for (const auto& u : urls)
    if (u.ca_id == ca_id)
      if (auto name = policy::crl_file_name(u.url); !name.empty()) names.push_back(name + (pem ? ".pem" : ""));
  if (names.empty()) names.push_back("ca-" + std::to_string(ca_id) + (pem ? ".crl.pem" : ".crl"));
  return names;
}

// Two CAs whose URLs end in the same file name cannot share one directory: refused before any
// CRL number is spent.
void check_distinct(const std::vector<CaCrlUrl>& urls, const std::vector<CaRecord>& cas, bool pem) {
  std::map<std::string, std::int64_t> owner;
  for (const auto& ca : cas)
    for (const auto& name : file_names(urls, ca.id, pem))
      if (auto [it, fresh] = owner.emplace(name, ca.id); !fresh && it->second != ca.id)
        throw Error(ErrorCode::InvalidState, "the CRL URLs of ca:" + std::to_string(it->second) + " and ca:" +
                                                 std::to_string(ca.id) + " both end in " + name +
                                                 ": give one another with `inkan ca set --crl-url URL --ca ID`");
}

// Every issuing CA's CRL, under the file name of each URL that names it (see file_names).
void publish_all(const CrlArgs& a, Context& ctx) {
  if (a.out_dir.empty()) throw Error(ErrorCode::InvalidArgument, "--all needs --out-dir DIR");
  ensure_writable_dir(a.out_dir);
  auto cas = service::crl_signing_cas(ctx.store());
  if (cas.empty()) throw Error(ErrorCode::InvalidState, "no issuing CA holds a key here: nothing to publish");
  std::error_code ec;
  std::filesystem::create_directories(a.out_dir, ec);  // CRLs are public: the default mode is fine
  if (ec) throw Error(ErrorCode::Io, "cannot create output directory " + a.out_dir + ": " + ec.message());
  const auto urls = ctx.store().cas().crl_urls();
  check_distinct(urls, cas, a.pem);
  service::Revocation revocation(ctx.store(), ctx.clock(), ctx.actor());
  auto published = nlohmann::json::array();
  for (const auto& ca : cas) {
    auto crl = revocation.publish_crl(ctx.keyring(), ctx.rng(), std::chrono::hours(24 * a.days), ca.id);
    for (const auto& name : file_names(urls, ca.id, a.pem)) {
      auto file = (std::filesystem::path(a.out_dir) / name).string();
      write_public_file(file, encode(crl, a.pem));
      report(ctx, crl, " of " + ca.subject + (ca.active ? " (active)" : ""), file);
      if (a.format == "json")
        published.push_back(crl_json(crl, ca.id, file, a.pem));
      else
        std::cout << file << "\n";
    }
  }
  if (a.format == "json") std::cout << published.dump(2) << "\n";
}

void run_crl(const CrlArgs& a, Context& ctx) {
  if (a.all) return publish_all(a, ctx);
  if (!a.out_dir.empty()) throw Error(ErrorCode::InvalidArgument, "--out-dir goes with --all; use --out FILE for one CRL");
  if (a.format == "json" && a.out.empty())
    throw Error(ErrorCode::InvalidArgument, "--format json describes the file written: give --out FILE (stdout is for the JSON)");
  std::optional<std::int64_t> ca_id;
  if (a.ca_id) {
    auto ca = ctx.store().cas().find(a.ca_id);
    if (!ca || ca->role != CaRole::Issuing)
      throw Error(ErrorCode::NotFound, "no issuing CA with id " + std::to_string(a.ca_id) + " (see `inkan ca list`)");
    ca_id = a.ca_id;
  }
  // Checked before anything is signed: a CRL number spent on a terminal full of DER, or on a
  // directory that cannot be written, is lost.
  if (!a.out.empty()) ensure_writable_dir(std::filesystem::path(a.out).parent_path());
  if (a.out.empty() && !a.pem && ::isatty(STDOUT_FILENO))
    throw Error(ErrorCode::InvalidArgument,
                "not writing a binary CRL to the terminal: pass --out FILE, or --pem, or redirect stdout");
  service::Revocation revocation(ctx.store(), ctx.clock(), ctx.actor());
  auto crl = revocation.publish_crl(ctx.keyring(), ctx.rng(), std::chrono::hours(24 * a.days), ca_id);
  if (a.out.empty()) {
    std::cout << encode(crl, a.pem);
  } else {
    write_public_file(a.out, encode(crl, a.pem));
    report(ctx, crl, "", a.out);
    const auto signer = ca_id ? *ca_id : ctx.store().cas().active_issuing()->id;
    if (a.format == "json") std::cout << crl_json(crl, signer, a.out, a.pem).dump(2) << "\n";
  }
}

}  // namespace

void add_crl(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<CrlArgs>();
  auto* cmd = app.add_subcommand("crl", "Publish a v2 CRL signed by the issuing CA");
  cmd->footer("CRL numbers strictly increase. Without --out the CRL goes to stdout.\n"
              "After a rollover each issuing CA signs the CRL of its own certificates:\n"
              "  inkan crl --ca ID --out FILE       one CA (ids from `inkan ca list`)\n"
              "  inkan crl --all --out-dir DIR      every issuing CA, one file per CRL URL its\n"
              "                                     certificates name (DIR/inkan-ca3.crl for\n"
              "                                     http://ca.example/pki/inkan-ca3.crl), else DIR/ca-<id>.crl:\n"
              "                                     copy DIR to where the URLs point (the cron job)");
  cmd->add_option("--out", a->out, "Output file")->type_name("FILE");
  cmd->add_flag("--pem", a->pem, "PEM instead of DER");
  cmd->add_option("--format", a->format, "text|json: what was written (json: an object, or an array with --all)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--next-update-days", a->days, "Days until nextUpdate")->capture_default_str()->check(CLI::Range(1, 365));
  auto* ca = cmd->add_option("--ca", a->ca_id, "The issuing CA whose CRL to publish (default: the active one)")
                 ->type_name("ID");
  auto* all = cmd->add_flag("--all", a->all, "Publish the CRL of every issuing CA whose key is held here");
  cmd->add_option("--out-dir", a->out_dir, "With --all: directory for one file per CRL URL")->type_name("DIR");
  all->excludes(ca);
  all->excludes("--out");
  cmd->callback([a, &ctx] { run_crl(*a, ctx); });
}

}  // namespace inkan::cli
