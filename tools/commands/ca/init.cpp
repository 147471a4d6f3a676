// inkan init: create the CA hierarchy in a new data directory.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/keys/ca_setup.hpp"
#include "cli/context.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct InitArgs {
  std::string name;
  std::string root_key = "rsa-4096";
  std::string issuing_key = "rsa-3072";
  std::string crl_url;
  std::string ocsp_url;
  std::string offline_root;
  std::string root_key_uri, issuing_key_uri, pkcs11_module;
};

void run_init(const InitArgs& a, Context& ctx) {
  service::InitOptions o;
  o.name = a.name;
  o.root_key = parse_key_option("--root-key", a.root_key);
  o.issuing_key = parse_key_option("--issuing-key", a.issuing_key);
  if (!a.crl_url.empty()) o.crl_url = a.crl_url;
  if (!a.ocsp_url.empty()) o.ocsp_url = a.ocsp_url;
  if (!a.offline_root.empty()) o.offline_root = a.offline_root;
  o.root_token = parse_token_option("--root-key-uri", a.root_key_uri, a.pkcs11_module);
  o.issuing_token = parse_token_option("--issuing-key-uri", a.issuing_key_uri, a.pkcs11_module);
  o.token_pin = ctx.token_pin_source();
  auto passphrase = ctx.new_passphrase();
  service::validate_init(passphrase, o);  // before the data directory is created
  auto& store = ctx.create_store();
  if (service::is_initialised(store))
    throw Error(ErrorCode::AlreadyExists, "this data directory already holds a CA: " + ctx.data_dir().string());
  std::cerr << "Generating the root (" << a.root_key << (o.root_token ? ", on the token" : "") << ") and issuing ("
            << a.issuing_key << (o.issuing_token ? ", on the token" : "") << ") CA keys...\n";
  auto r = service::initialise_ca(store, ctx.clock(), ctx.rng(), passphrase, o, ctx.actor());
  std::cout << "Initialised CA '" << a.name << "' in " << ctx.data_dir().string() << "\n"
            << "  root CA:    " << r.root.subject << ", valid until " << format_date(r.root.not_after)
            << (o.offline_root ? " (" + std::string(o.root_token ? "token reference" : "key") + " only in " +
                                     o.offline_root->string() + ")"
                               : "")
            << (o.root_token ? "\n              key on the token: " + o.root_token->uri : "") << "\n"
            << "  issuing CA: " << r.issuing.subject << ", valid until " << format_date(r.issuing.not_after)
            << (r.issuing.token_key ? "\n              key on the token: " + r.issuing.token_key->uri : "") << "\n"
            << "Next: inkan tenant add ID --name NAME, then inkan issue --tenant ID --cn NAME --out DIR\n";
}

}  // namespace

void add_init(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<InitArgs>();
  auto* cmd = app.add_subcommand("init", "Create a root CA and an issuing CA in a new data directory");
  cmd->footer(
      "The operator passphrase encrypts both CA keys (PKCS#8, PBKDF2-SHA256 600k, AES-256-CBC) and\n"
      "the stored p12 passwords. Keep it: without it nothing can be issued or revealed.\n"
      "Example: sudo -u inkan inkan --dir /var/lib/inkan init --name \"Example Care\"  (asks for the passphrase twice)\n"
      "With the keys on a token (the PIN from --pkcs11-pin-file, $INKAN_PKCS11_PIN_FILE or the terminal):\n"
      "  sudo -u inkan inkan --dir /var/lib/inkan init --name \"Example Care\" --root-key ec-p384 \\\n"
      "    --root-key-uri 'pkcs11:token=inkan;object=root' --issuing-key ec-p256 \\\n"
      "    --issuing-key-uri 'pkcs11:token=inkan;object=issuing' --pkcs11-module /usr/lib/softhsm/libsofthsm2.so");
  cmd->add_option("--name", args->name, "CA name, used in the CA subjects")->required();
  cmd->add_option("--root-key", args->root_key, "Root key: rsa-2048|rsa-3072|rsa-4096|ec-p256|ec-p384")
      ->capture_default_str();
  cmd->add_option("--issuing-key", args->issuing_key, "Issuing CA key type")->capture_default_str();
  cmd->add_option("--crl-url", args->crl_url, "URL put in every certificate's CRL distribution point");
  cmd->add_option("--ocsp-url", args->ocsp_url,
                  "OCSP responder URL (http://) put in every client certificate's authorityInfoAccess, e.g. "
                  "http://ca.example:8080/ocsp for `inkan serve --ocsp-listen 0.0.0.0:8080`; change it later "
                  "with `inkan ca set --ocsp-url`")
      ->type_name("URL");
  cmd->add_option("--offline-root", args->offline_root,
                  "Write the encrypted root key (and its certificate) only to FILE; the data directory "
                  "never holds it")
      ->type_name("FILE");
  cmd->add_option("--root-key-uri", args->root_key_uri,
                  "Keep the root key on a PKCS#11 token: an RFC 7512 URI naming the token and the key, e.g. "
                  "'pkcs11:token=inkan;object=root'. The key pair is generated there when absent (--root-key "
                  "names its type); an existing one is used. Needs --pkcs11-module")
      ->type_name("URI");
  cmd->add_option("--issuing-key-uri", args->issuing_key_uri,
                  "Keep the issuing CA key on a PKCS#11 token, like --root-key-uri (--issuing-key names its type)")
      ->type_name("URI");
  cmd->add_option("--pkcs11-module", args->pkcs11_module,
                  "The token's PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so (SoftHSM2) or "
                  "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so; recorded with the key's URI")
      ->type_name("PATH");
  cmd->callback([args, &ctx] { run_init(*args, ctx); });
}

}  // namespace inkan::cli
