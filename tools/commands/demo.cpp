// inkan demo: a ready-made test CA with certificates in three states, in one idempotent command.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "ca/crypto/password.hpp"
#include "ca/service/ca_setup.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/issuer.hpp"
#include "ca/service/tenants.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

namespace fs = std::filesystem;

struct DemoCert {
  const char* cn;
  const char* what;
  // Days of validity left when issued (negative: already expired); 0 = a fresh 3-year certificate.
  int days_left;
};

constexpr DemoCert kDemoCerts[] = {
    {"client-fresh", "fresh, valid for 3 years", 0},
    {"client-expiring", "30 days left: inside the 90-day renewal window", 30},
    {"client-expired", "expired yesterday: only an administrator can reissue it", -1},
};

Timestamp not_before_for(const DemoCert& c, Timestamp now) {
  if (c.days_left == 0) return now;
  // notAfter = notBefore + 3y, so start 3 years before the wanted expiry.
  auto expiry = now + std::chrono::days(c.days_left);
  return add(expiry, Validity{-3, 0, 0});
}

void create_demo(Context& ctx, const fs::path& dir) {
  std::cerr << "Creating a demo CA in " << dir.string() << " ...\n";
  create_output_dir(dir);  // 0700: it holds the demo passphrase
  auto pass_file = dir / "passphrase";
  if (!fs::exists(pass_file)) write_private_file(pass_file, crypto::generate_p12_password(ctx.rng()) + "\n");
  ctx.options.passphrase_file = pass_file.string();

  service::InitOptions init;
  init.name = "inkan demo";
  init.root_key = KeyType::EcP384;
  init.issuing_key = KeyType::EcP256;
  service::initialise_ca(ctx.create_store(), ctx.clock(), ctx.rng(), ctx.new_passphrase(), init, ctx.actor());
  service::Tenants(ctx.store(), ctx.clock(), ctx.actor()).add("demo", "デモ介護施設 (Demo Care Facility)");

  auto out = dir / "credentials";
  create_output_dir(out);
  service::Issuer issuer(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
  for (const auto& c : kDemoCerts) {
    service::IssueRequest req;
    req.tenant_id = "demo";
    req.common_name = c.cn;
    req.key_type = KeyType::EcP256;
    req.not_before = not_before_for(c, ctx.clock().now());
    auto cred = issuer.issue(req);
    write_private_file(out / (std::string(c.cn) + ".p12"), cred.p12);
    write_private_file(out / (std::string(c.cn) + ".password.txt"), cred.password + "\n");
  }
}

void print_summary(Context& ctx, const fs::path& dir) {
  auto out = dir / "credentials";
  std::cout << "inkan demo is ready in " << dir.string() << "\n\n"
            << "Client certificates (PKCS#12, password in the .password.txt beside each):\n";
  for (const auto& c : kDemoCerts)
    std::cout << "  " << (out / (std::string(c.cn) + ".p12")).string() << "\n      " << c.what << "\n";
  std::cout << "\nTry it:\n"
            << "  export INKAN_DIR=" << dir.string() << " INKAN_PASSPHRASE_FILE=" << (dir / "passphrase").string() << "\n"
            << "  inkan list                      # statuses are computed now: one of them is expired\n"
            << "  inkan ca cert --chain > ca.pem  # the chain a relying party trusts\n"
            << "  openssl pkcs12 -info -nokeys -in " << (out / "client-fresh.p12").string()
            << " -passin file:" << (out / "client-fresh.password.txt").string() << "\n"
            << "  inkan doctor\n";
  (void)ctx;
}

}  // namespace

void add_demo(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("demo", "Create (once) and describe a demo CA for trying inkan out");
  cmd->footer("Uses --dir if given, else ./inkan-demo. Running it again only prints the summary.\n"
              "The demo passphrase is generated into DIR/passphrase (0600): never do that in production.");
  cmd->callback([&ctx] {
    fs::path dir = ctx.options.dir.empty() ? fs::path("./inkan-demo") : fs::path(ctx.options.dir);
    ctx.options.dir = dir.string();
    if (!fs::exists(service::database_path(dir))) create_demo(ctx, dir);
    print_summary(ctx, dir);
  });
}

}  // namespace inkan::cli
