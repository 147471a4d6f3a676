#pragma once
// One function per command: it adds the subcommand, its options struct and its callback.
namespace CLI { class App; }

namespace inkan::cli {

class Context;

void add_init(CLI::App& app, Context& ctx);
void add_ca(CLI::App& app, Context& ctx);
void add_tenant(CLI::App& app, Context& ctx);
void add_issue(CLI::App& app, Context& ctx);
void add_sign(CLI::App& app, Context& ctx);
void add_list(CLI::App& app, Context& ctx);
void add_show(CLI::App& app, Context& ctx);
void add_export(CLI::App& app, Context& ctx);
void add_password(CLI::App& app, Context& ctx);
void add_slips(CLI::App& app, Context& ctx);  // printable password slips (HTML, web/password_slips.hpp)
void add_revoke(CLI::App& app, Context& ctx);
void add_crl(CLI::App& app, Context& ctx);
void add_ocsp(CLI::App& app, Context& ctx);   // a signed OCSP response for one certificate
void add_doctor(CLI::App& app, Context& ctx);
void add_demo(CLI::App& app, Context& ctx);
// CA rollover: `ca list|rollover|csr|import` under the `ca` command, and `root sign`.
void add_ca_rollover(CLI::App& ca, Context& ctx);
void add_root(CLI::App& app, Context& ctx);
void add_root_crl(CLI::App& root, Context& ctx);       // root crl (under `root`)
void add_ca_import_crl(CLI::App& ca, Context& ctx);   // ca import-crl (under `ca`)
void add_renew(CLI::App& app, Context& ctx);  // renew and reissue
void add_expiring(CLI::App& app, Context& ctx);
void add_backup(CLI::App& app, Context& ctx);
void add_restore(CLI::App& app, Context& ctx);
void add_batch(CLI::App& app, Context& ctx);  // batch reissue / batch issue
void add_user(CLI::App& app, Context& ctx);           // management-site administrators
void add_login_history(CLI::App& app, Context& ctx);
void add_audit(CLI::App& app, Context& ctx);       // read the audit log, its head, verify a head
void add_passphrase(CLI::App& app, Context& ctx);  // passphrase change
void add_lint(CLI::App& app, Context& ctx);   // certificate / CRL linter (ca/lint)
void add_notify(CLI::App& app, Context& ctx);  // expiry mail (ca/service/notify, mail/)
void add_settings(CLI::App& app, Context& ctx);  // installation settings (time zone)
void add_serve(CLI::App& app, Context& ctx);  // the HTTPS appliance (web/)
void add_store(CLI::App& app, Context& ctx);  // store migrate: the shared PostgreSQL schema

}  // namespace inkan::cli
