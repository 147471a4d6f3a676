// inkan: an offline CA for TLS client certificates. This file wires the commands and turns
// errors into one-line messages and exit statuses; the work happens in ca/service.
#include <CLI/CLI.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "ca/domain/error.hpp"
#include "cli/context.hpp"
#include "cli/exit_codes.hpp"
#include "cli/heap_scrubbing.hpp"
#include "cli/usage.hpp"
#include "cli/version.hpp"
#include "commands/commands.hpp"

int main(int argc, char** argv) {
  using namespace inkan;
  cli::scrub_freed_memory();  // first: OpenSSL accepts wiping allocators only before it allocates
  CLI::App app{"inkan — an offline CA for TLS client certificates.\n"
               "Issues 3-year client certificates as password-protected PKCS#12, renews and\n"
               "revokes them, and keeps a tamper-evident record. See docs/cli.md.",
               "inkan"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand
  // Version, source commit and the runtime library versions; the first line alone is
  // "inkan VERSION" for scripts and help2man.
  app.set_version_flag("-v,--version", [] { return cli::version_text(); });

  cli::Context ctx;
  cli::add_global_options(app, ctx.options);
  cli::add_init(app, ctx);
  cli::add_ca(app, ctx);
  cli::add_tenant(app, ctx);
  cli::add_issue(app, ctx);
  cli::add_sign(app, ctx);
  cli::add_list(app, ctx);
  cli::add_show(app, ctx);
  cli::add_export(app, ctx);
  cli::add_password(app, ctx);
  cli::add_slips(app, ctx);
  cli::add_revoke(app, ctx);
  cli::add_crl(app, ctx);
  cli::add_ocsp(app, ctx);
  cli::add_doctor(app, ctx);
  cli::add_demo(app, ctx);
  cli::add_root(app, ctx);
  cli::add_renew(app, ctx);
  cli::add_expiring(app, ctx);
  cli::add_backup(app, ctx);
  cli::add_restore(app, ctx);
  cli::add_batch(app, ctx);
  cli::add_user(app, ctx);
  cli::add_login_history(app, ctx);
  cli::add_audit(app, ctx);
  cli::add_passphrase(app, ctx);
  cli::add_lint(app, ctx);
  cli::add_serve(app, ctx);
  cli::add_settings(app, ctx);
  cli::add_notify(app, ctx);
  cli::add_store(app, ctx);
  cli::add_help_command(app);

  // Bare `inkan`: the overview, not an error.
  if (argc == 1) {
    std::cout << app.help();
    return cli::kExitOk;
  }

  try {
    app.parse(argc, argv);
    return cli::kExitOk;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const cli::ExitStatus& e) {
    return e.code;
  } catch (const CLI::ParseError& e) {
    std::cerr << "inkan: " << cli::usage_error_message(app, e, std::vector<std::string>(argv + 1, argv + argc)) << "\n";
    return cli::kExitUsage;
  } catch (const Error& e) {
    std::cerr << "inkan: " << e.what() << "\n";
    return cli::exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::cerr << "inkan: unexpected error: " << e.what() << "\n";
    return cli::kExitInternal;
  }
}
