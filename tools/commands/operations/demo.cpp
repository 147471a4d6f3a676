// inkan demo: a ready-made test CA with certificates in three states, in one idempotent command.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "ca/crypto/secrets/password.hpp"
#include "ca/service/admin/admin_accounts.hpp"
#include "ca/service/keys/ca_setup.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/tenants.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "commands/commands.hpp"
#include "web/serve.hpp"

namespace inkan::cli {
namespace {

namespace fs = std::filesystem;

struct DemoCert {
  const char* cn;
  const char* what;
  // Days of validity left when issued (negative: already expired); 0 = a fresh 3-year certificate.
  int days_left;
};

constexpr int kDemoPort = 8443;

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

  // The tenant administrator: an account (its one-time password is printed once, now) and the
  // tenant-admin certificate the management site asks for, bound to that account.
  service::AdminAccounts accounts(ctx.store(), ctx.clock(), ctx.rng(), service::TenantScope::cli(ctx.actor()));
  auto admin = accounts.add({.username = "demo-admin", .role = AdminRole::TenantAdmin, .tenant_id = std::string("demo")});
  service::IssueRequest admin_cert;
  admin_cert.tenant_id = "demo";
  admin_cert.common_name = "demo-admin";
  admin_cert.kind = CertKind::TenantAdmin;
  admin_cert.key_type = KeyType::EcP256;
  admin_cert.admin_username = "demo-admin";
  auto cred = issuer.issue(admin_cert);
  write_private_file(out / "demo-admin.p12", cred.p12);
  write_private_file(out / "demo-admin.password.txt", cred.password + "\n");
  std::cout << "Tenant administrator: demo-admin, one-time password " << admin.generated_password.value_or("")
            << "\n  (shown only now; reset it with `inkan user reset demo-admin`)\n\n";
}

void print_summary(Context& ctx, const fs::path& dir) {
  auto out = dir / "credentials";
  std::cout << "inkan demo is ready in " << dir.string() << "\n\n"
            << "Client certificates (PKCS#12, password in the .password.txt beside each):\n";
  for (const auto& c : kDemoCerts)
    std::cout << "  " << (out / (std::string(c.cn) + ".p12")).string() << "\n      " << c.what << "\n";
  std::cout << "  " << (out / "demo-admin.p12").string() << "\n      tenant-admin certificate of the demo administrator\n";
  std::cout << "\nTry it:\n"
            << "  export INKAN_DIR=" << dir.string() << " INKAN_PASSPHRASE_FILE=" << (dir / "passphrase").string() << "\n"
            << "  inkan list                      # statuses are computed now: one of them is expired\n"
            << "  inkan ca cert --chain > ca.pem  # the chain a relying party trusts\n"
            << "  openssl pkcs12 -info -nokeys -in " << (out / "client-fresh.p12").string()
            << " -passin file:" << (out / "client-fresh.password.txt").string() << "\n"
            << "  inkan doctor\n";
  (void)ctx;
}

void print_browse_hint(const fs::path& dir, int port) {
  std::cout << "\nIn a browser: trust " << (dir / "ca-chain.pem").string()
            << " (the root CA), import credentials/client-expiring.p12\n"
            << "(Windows: double-click it), then open https://localhost:" << port
            << "/ and choose that certificate:\n"
            << "the renewal banner appears.\n"
            << "Management site: import credentials/demo-admin.p12 too, open https://localhost:" << port
            << "/admin/,\nchoose demo-admin's certificate and log in as demo-admin. Stop the server with Ctrl-C.\n\n";
}

}  // namespace

void add_demo(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("demo", "Create (once) a demo CA with sample certificates, then serve it on https://localhost:8443/");
  cmd->footer("Uses --dir if given, else ./inkan-demo, then serves the appliance on https://localhost:8443/.\n"
              "Running it again reuses the directory: nothing is created twice.\n"
              "The demo passphrase is generated into DIR/passphrase (0600): never do that in production.");
  auto no_serve = std::make_shared<bool>(false);
  auto port = std::make_shared<int>(kDemoPort);
  cmd->add_flag("--no-serve", *no_serve, "Only create the demo and print the summary");
  cmd->add_option("--port", *port, "Port of the demo appliance on 127.0.0.1")->capture_default_str()->check(CLI::Range(1, 65535));
  cmd->callback([&ctx, no_serve, port] {
    fs::path dir = ctx.options.dir.empty() ? fs::path("./inkan-demo") : fs::path(ctx.options.dir);
    ctx.options.dir = dir.string();
    ctx.options.passphrase_file = (dir / "passphrase").string();
    if (!fs::exists(service::database_path(dir))) create_demo(ctx, dir);
    print_summary(ctx, dir);
    write_public_file(dir / "ca-chain.pem", service::chain_pem(ctx.store(), ctx.store().cas().active_issuing()->id));
    if (*no_serve) return;
    print_browse_hint(dir, *port);
    std::cout.flush();
    web::ServeConfig c;
    c.host = "127.0.0.1";
    c.port = *port;
    c.hostnames = web::default_hostnames(c.host);
    c.data_dir = dir;
    web::serve(c, ctx.keyring());
  });
}

}  // namespace inkan::cli
