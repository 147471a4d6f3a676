// inkan user add|list|disable|enable|reset: administrators of the management site. The CLI acts
// as the local operator (shell access to the data directory), so it reaches every tenant.
// Passwords never come from argv: they are generated (and printed once) or read from a file.
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/admin/admin_accounts.hpp"
#include "cli/confirm.hpp"
#include "cli/context.hpp"
#include "cli/input_file.hpp"
#include "cli/output.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

// Every change of an account is a change of a security table: sealed_store() unlocks the keyring
// so its keyed digest is written with it; listing needs no passphrase.
service::AdminAccounts accounts(Context& ctx) {
  return service::AdminAccounts(ctx.sealed_store(), ctx.clock(), ctx.rng(), service::TenantScope::cli(ctx.actor()));
}

// The first line of the file, without its line ending.
std::string read_password_file(const std::string& path) {
  std::string text = read_input_file(path, 4096);
  text = text.substr(0, text.find('\n'));
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

std::string role_label(const AdminUser& u) {
  return u.is_operator() ? "operator" : "tenant administrator of " + u.tenant_id.value_or("?");
}

void print_one_time_password(const std::string& password) {
  std::cout << "One-time password (shown only now; it must be changed at the first login):\n"
            << password << "\n";
}

}  // namespace

void add_user(CLI::App& app, Context& ctx) {
  auto* user = app.add_subcommand("user", "Manage administrators of the management site");
  user->require_subcommand(1);

  struct AddArgs {
    std::string name, tenant, password_file, email, language = "ja";
    bool operator_role = false;
  };
  auto add = std::make_shared<AddArgs>();
  auto* add_cmd = user->add_subcommand("add", "Add an administrator; prints a generated one-time password");
  add_cmd->add_option("name", add->name, "Username: 3-64 of a-z 0-9 . _ @ -")->required();
  auto* tenant_opt = add_cmd->add_option("--tenant", add->tenant, "Tenant the administrator manages")->type_name("ID");
  auto* op_flag = add_cmd->add_flag("--operator", add->operator_role, "An operator: sees every tenant");
  tenant_opt->excludes(op_flag);
  add_cmd->add_option("--password-file", add->password_file,
                      "File whose first line is the password (at least 12 characters) instead of a "
                      "generated one")->type_name("FILE");
  add_cmd->add_option("--email", add->email, "Address for the expiry mail of `inkan notify expiring`")->type_name("ADDRESS");
  add_cmd->add_option("--language", add->language, "Language of that mail: ja or en")
      ->check(CLI::IsMember({"ja", "en"}))->capture_default_str();
  add_cmd->footer("Examples:\n  inkan user add alice --tenant acme --email alice@acme.example\n"
                  "  inkan user add root-op --operator");
  add_cmd->callback([add, &ctx] {
    if (add->tenant.empty() && !add->operator_role)
      throw Error(ErrorCode::InvalidArgument, "give --tenant ID or --operator");
    service::NewAdmin req;
    req.username = add->name;
    req.role = add->operator_role ? AdminRole::Operator : AdminRole::TenantAdmin;
    if (!add->tenant.empty()) req.tenant_id = add->tenant;
    if (!add->password_file.empty()) req.password = read_password_file(add->password_file);
    if (!add->email.empty()) req.email = add->email;
    req.language = *parse_mail_language(add->language);
    auto created = accounts(ctx).add(req);
    std::cout << "Added " << created.user.username << " (" << role_label(created.user) << ")\n";
    if (created.generated_password) print_one_time_password(*created.generated_password);
  });

  struct ListArgs { std::string tenant, format = "table"; };
  auto list = std::make_shared<ListArgs>();
  auto* list_cmd = user->add_subcommand("list", "List administrators");
  list_cmd->add_option("--tenant", list->tenant, "Only this tenant's administrators")->type_name("ID");
  list_cmd->add_option("--format", list->format, "table|json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  list_cmd->callback([list, &ctx] {
    std::optional<std::string> tenant;
    if (!list->tenant.empty()) tenant = list->tenant;
    const auto users = service::AdminAccounts(ctx.store(), ctx.clock(), ctx.rng(), service::TenantScope::cli(ctx.actor()))
                           .list(tenant);
    if (list->format == "json") {
      auto arr = nlohmann::json::array();
      for (const auto& u : users)
        arr.push_back({{"username", u.username},
                       {"role", std::string(to_string(u.role))},
                       {"tenant", u.tenant_id ? nlohmann::json(*u.tenant_id) : nlohmann::json(nullptr)},
                       {"disabled", u.disabled},
                       {"must_change_password", u.must_change_password},
                       {"email", u.email ? nlohmann::json(*u.email) : nlohmann::json(nullptr)},
                       {"language", std::string(to_string(u.language))},
                       {"created_at", format_rfc3339(u.created_at)},
                       {"password_changed_at", format_rfc3339(u.password_changed_at)}});
      std::cout << arr.dump(2) << "\n";
      return;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& u : users)
      rows.push_back({u.username, std::string(to_string(u.role)), u.tenant_id.value_or("*"),
                      u.disabled ? "disabled" : "enabled", u.email.value_or("-"), std::string(to_string(u.language)),
                      ctx.local_time(u.created_at, TimeStyle::Date)});
    print_table(std::cout, {"USERNAME", "ROLE", "TENANT", "STATE", "EMAIL", "LANG", "CREATED"}, rows);
  });

  struct SetArgs {
    std::string name, email, language;
    bool no_email = false;
  };
  auto set = std::make_shared<SetArgs>();
  auto* set_cmd = user->add_subcommand("set", "Change an administrator's mail address or mail language");
  set_cmd->add_option("name", set->name, "Username")->required();
  auto* email_opt = set_cmd->add_option("--email", set->email, "Address for the expiry mail")->type_name("ADDRESS");
  auto* no_email = set_cmd->add_flag("--no-email", set->no_email, "Remove the address: no expiry mail");
  email_opt->excludes(no_email);
  set_cmd->add_option("--language", set->language, "Language of the mail: ja or en")->check(CLI::IsMember({"ja", "en"}));
  set_cmd->footer("Example:\n  inkan user set alice --email alice@acme.example --language en");
  set_cmd->callback([set, &ctx] {
    if (set->email.empty() && !set->no_email && set->language.empty())
      throw Error(ErrorCode::InvalidArgument, "give --email ADDRESS, --no-email or --language ja|en");
    auto acc = accounts(ctx);
    const auto current = acc.find(set->name);
    std::optional<std::string> email = current.email;
    if (!set->email.empty()) email = set->email;
    if (set->no_email) email.reset();
    const auto language = set->language.empty() ? current.language : *parse_mail_language(set->language);
    auto u = acc.set_contact(set->name, email, language);
    std::cout << "Set " << u.username << ": email " << u.email.value_or("(none)") << ", language "
              << to_string(u.language) << "\n";
  });

  auto disable_name = std::make_shared<std::string>();
  auto* disable_cmd = user->add_subcommand("disable", "Disable an administrator (ends their sessions)");
  disable_cmd->add_option("name", *disable_name, "Username")->required();
  disable_cmd->callback([disable_name, &ctx] {
    auto u = accounts(ctx).disable(*disable_name);
    std::cout << "Disabled " << u.username << "\n";
  });

  auto enable_name = std::make_shared<std::string>();
  auto* enable_cmd = user->add_subcommand("enable", "Enable a disabled administrator");
  enable_cmd->add_option("name", *enable_name, "Username")->required();
  enable_cmd->callback([enable_name, &ctx] {
    auto u = accounts(ctx).enable(*enable_name);
    std::cout << "Enabled " << u.username << "\n";
  });

  struct DeleteArgs { std::string name; bool yes = false; };
  auto del = std::make_shared<DeleteArgs>();
  auto* delete_cmd = user->add_subcommand("delete", "Delete an administrator (their login history stays)");
  delete_cmd->add_option("name", del->name, "Username")->required();
  delete_cmd->add_flag("-y,--yes", del->yes, "Do not ask for confirmation on a terminal");
  delete_cmd->footer(
      "The account, its sessions and its certificate bindings go: the certificates it logged in with\n"
      "log in no one from now on (revoke them with `inkan revoke` if the terminal must stop working).\n"
      "Its login history and audit entries keep the username. To keep the account but stop it, use\n"
      "`inkan user disable` instead.\n"
      "Example: inkan user delete alice --yes");
  delete_cmd->callback([del, &ctx] {
    auto acc = accounts(ctx);
    const auto u = acc.find(del->name);  // NotFound before asking
    require_confirmation("Delete administrator " + u.username +
                             (u.tenant_id ? " of tenant " + *u.tenant_id : std::string(" (operator)")) +
                             "? This cannot be undone.",
                         del->yes);
    const auto removed = acc.remove(del->name);
    std::cout << "Deleted " << removed.user.username;
    if (!removed.unbound_certificates.empty()) {
      std::cout << "; these certificates no longer log in anyone:";
      for (const auto& s : removed.unbound_certificates) std::cout << " " << s.hex();
    }
    std::cout << "\n";
  });

  struct BindArgs { std::string name, serial; };
  auto bind = std::make_shared<BindArgs>();
  auto* bind_cmd = user->add_subcommand(
      "bind-certificate", "Bind an issued tenant-admin or operator certificate to the administrator it logs in");
  bind_cmd->add_option("name", bind->name, "Username")->required();
  bind_cmd->add_option("serial", bind->serial, "Serial (hex) of the certificate, as `inkan list` shows it")->required();
  bind_cmd->footer(
      "The management site lets an administrator log in only with a certificate bound to their own\n"
      "account: a tenant-admin certificate of their tenant, or for an operator an operator certificate.\n"
      "Certificates issued with --admin are bound already, and renewals inherit the binding. Run this\n"
      "once after upgrading for each account `inkan doctor` names; a certificate is bound to one account.\n"
      "Example: inkan user bind-certificate alice 5F3A0C...");
  bind_cmd->callback([bind, &ctx] {
    auto u = accounts(ctx).bind_certificate(bind->name, Serial::parse(bind->serial));
    std::cout << "Bound certificate " << bind->serial << " to " << u.username << " (" << role_label(u) << ")\n";
  });

  auto reset_name = std::make_shared<std::string>();
  auto* reset_cmd = user->add_subcommand("reset", "Reset a password; prints a new one-time password");
  reset_cmd->add_option("name", *reset_name, "Username")->required();
  reset_cmd->callback([reset_name, &ctx] {
    const std::string password = accounts(ctx).reset_password(*reset_name);
    std::cout << "Reset the password of " << *reset_name << "\n";
    print_one_time_password(password);
  });
}

}  // namespace inkan::cli
