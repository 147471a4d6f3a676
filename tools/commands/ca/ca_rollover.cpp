// inkan ca list | rollover | csr | import: see every CA, and replace the issuing CA before it can
// no longer cover a 3-year certificate (docs/operator-guide.md, "CA rollover").
#include <CLI/CLI.hpp>

#include <iostream>
#include <nlohmann/json.hpp>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/service/keys/ca_rollover.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "cli/input_file.hpp"
#include "cli/output.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

void print_activated(const CaRecord& ca) {
  std::cout << "Active issuing CA is now " << ca.subject << " (id " << ca.id << "), valid until "
            << format_date(ca.not_after) << ".\n"
            << "Its certificates name the CRL URL " << ca.crl_url.value_or("(none)") << ".\n"
            << "The previous issuing CA keeps its key and signs the CRL of its own certificates: "
               "publish both with `inkan crl --all --out-dir DIR`.\n";
}

// Every URL that leads to this CA's CRL, the current one included.
nlohmann::json crl_urls_of(const std::vector<CaCrlUrl>& urls, std::int64_t ca_id) {
  auto out = nlohmann::json::array();
  for (const auto& u : urls)
    if (u.ca_id == ca_id) out.push_back(u.url);
  return out;
}

void run_list(const std::string& format, Context& ctx) {
  auto& store = ctx.store();
  auto cas = store.cas().list();
  auto pending = store.cas().pending_issuing();
  const auto urls = store.cas().crl_urls();
  if (format == "json") {
    // An array, as every other list answers; a pending key from `ca csr` is one more element.
    auto arr = nlohmann::json::array();
    for (const auto& c : cas) {
      arr.push_back({{"id", c.id}, {"role", to_string(c.role)}, {"pending", false}, {"subject", c.subject},
                     {"key_type", to_string(c.key_type)}, {"not_before", format_rfc3339(c.not_before)},
                     {"not_after", format_rfc3339(c.not_after)}, {"active", c.active},
                     {"key_held", c.key_held()},
                     {"key_uri", c.token_key ? nlohmann::json(c.token_key->uri) : nlohmann::json()},
                     {"parent", c.parent_id ? nlohmann::json(*c.parent_id) : nlohmann::json(nullptr)},
                     {"crl_url", c.crl_url ? nlohmann::json(*c.crl_url) : nlohmann::json(nullptr)},
                     {"crl_urls", crl_urls_of(urls, c.id)}});
    }
    if (pending)
      arr.push_back({{"id", nullptr}, {"role", "issuing"}, {"pending", true}, {"key_type", to_string(pending->key_type)},
                     {"created_at", format_rfc3339(pending->created_at)}, {"active", false}, {"key_held", true}});
    std::cout << arr.dump(2) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : cas)
    rows.push_back({std::to_string(c.id), std::string(to_string(c.role)), c.subject, ctx.local_time(c.not_before),
                    ctx.local_time(c.not_after), c.active ? "yes" : "no", c.token_key ? "token" : c.key_held() ? "yes" : "no",
                    c.crl_url.value_or("-")});
  print_table(std::cout, {"ID", "ROLE", "SUBJECT", "NOT_BEFORE", "NOT_AFTER", "ACTIVE", "KEY_HELD", "CRL_URL"}, rows);
  for (const auto& u : urls)
    if (!u.current)
      std::cout << "ca " << u.ca_id << " also publishes its CRL at " << u.url << " (named by earlier certificates)\n";
  if (pending)
    std::cout << "pending: an issuing CA key (" << to_string(pending->key_type) << ") made on "
              << format_date(pending->created_at) << " awaits its certificate: `inkan ca import --cert FILE.pem`\n";
}

}  // namespace

void add_ca_rollover(CLI::App& ca, Context& ctx) {
  auto format = std::make_shared<std::string>("table");
  auto* list = ca.add_subcommand("list", "List every CA: id, role, subject, validity, active, key held");
  list->add_option("--format", *format, "table|json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  list->callback([format, &ctx] { run_list(*format, ctx); });

  struct RolloverArgs { std::string key, validity, crl_url, key_uri, module; };
  auto r = std::make_shared<RolloverArgs>();
  auto* rollover = ca.add_subcommand("rollover", "Create a new issuing CA signed by the root and make it active");
  rollover->footer(
      "Needs the root key in the data directory. The old issuing CA stays, inactive, with its key:\n"
      "its certificates keep verifying and renewing, and it keeps signing their CRLs.\n"
      "With an offline root use `inkan ca csr`, `inkan root sign` and `inkan ca import` instead.\n"
      "The new CA's certificates name a CRL URL of its own: --crl-url, or by default the current\n"
      "CA's with -ca<ID> before the extension (http://ca.example/pki/inkan.crl -> .../inkan-ca3.crl).\n"
      "Example: inkan ca rollover --issuing-key rsa-3072 --validity 10y");
  rollover->add_option("--issuing-key", r->key, "Key type of the new CA (default: the current issuing CA's)");
  rollover->add_option("--validity", r->validity, "Lifetime of the new CA (default 10y)");
  rollover->add_option("--crl-url", r->crl_url, "CRL URL of the new CA's certificates (default: derived)")->type_name("URL");
  rollover->add_option("--issuing-key-uri", r->key_uri,
                       "Put the new CA's key on a PKCS#11 token (RFC 7512 URI; generated there when absent)")
      ->type_name("URI");
  rollover->add_option("--pkcs11-module", r->module, "The token's PKCS#11 module")->type_name("PATH");
  rollover->callback([r, &ctx] {
    service::RolloverOptions o;
    if (!r->crl_url.empty()) o.crl_url = r->crl_url;
    if (!r->key.empty()) o.issuing_key = parse_key_option("--issuing-key", r->key);
    if (auto v = parse_validity_option(r->validity)) o.validity = *v;
    o.issuing_token = parse_token_option("--issuing-key-uri", r->key_uri, r->module);
    service::CaRollover roll(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    print_activated(roll.rollover(o));
  });

  struct CsrArgs { std::string out, key, key_uri, module; bool replace = false; };
  auto c = std::make_shared<CsrArgs>();
  auto* csr = ca.add_subcommand("csr", "Offline root, step 1: make the next issuing CA's key and its CSR");
  csr->footer(
      "The key stays here, encrypted under the operator passphrase, as the pending issuing CA.\n"
      "Carry FILE.csr to the root's machine, run `inkan root sign` there, bring the certificate\n"
      "back and run `inkan ca import --cert FILE.pem`.");
  csr->add_option("--out", c->out, "Where to write the CSR (PEM)")->required()->type_name("FILE.csr");
  csr->add_option("--issuing-key", c->key, "Key type of the new CA (default: the current issuing CA's)");
  csr->add_flag("--replace", c->replace, "Discard a pending issuing CA key and make a new one");
  csr->add_option("--issuing-key-uri", c->key_uri,
                  "Make (or use) the new CA's key on a PKCS#11 token instead (RFC 7512 URI)")
      ->type_name("URI");
  csr->add_option("--pkcs11-module", c->module, "The token's PKCS#11 module")->type_name("PATH");
  csr->callback([c, &ctx] {
    std::optional<KeyType> key;
    if (!c->key.empty()) key = parse_key_option("--issuing-key", c->key);
    ensure_creatable_file(c->out);
    service::CaRollover roll(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    auto req = roll.request(key, c->replace, parse_token_option("--issuing-key-uri", c->key_uri, c->module));
    write_public_file(c->out, crypto::pem_encode(req.csr_der, "CERTIFICATE REQUEST"));
    std::cout << "Wrote the CSR for CN=" << req.subject.common_name << " (" << to_string(req.key_type) << ") to "
              << c->out << ".\nNext, on the root's machine: inkan root sign --root-key ROOT-FILE --csr " << c->out
              << " --out issuing.pem\n";
  });

  struct ImportArgs { std::string cert, crl_url; };
  auto imp = std::make_shared<ImportArgs>();
  auto* import = ca.add_subcommand("import", "Offline root, step 3: import the signed issuing CA and make it active");
  import->footer("The certificate must be signed by this CA's root and match the pending key from `inkan ca csr`.");
  import->add_option("--cert", imp->cert, "The certificate from `inkan root sign` (PEM or DER)")
      ->required()->type_name("FILE.pem");
  import->add_option("--crl-url", imp->crl_url, "CRL URL of the new CA's certificates (default: derived, as rollover)")
      ->type_name("URL");
  import->callback([imp, &ctx] {
    auto text = read_input_file(imp->cert, service::kMaxCaCertFileBytes);
    service::CaRollover roll(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
    std::optional<std::string> crl_url;
    if (!imp->crl_url.empty()) crl_url = imp->crl_url;
    print_activated(roll.import(text, crl_url));
  });
}

}  // namespace inkan::cli
