// inkan root sign: runs on the offline root's machine. Signs an issuing-CA CSR from
// `inkan ca csr` with the issuing-CA profile, using the file `inkan init --offline-root` wrote.
// It needs no data directory.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/csr.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/files/secret_file.hpp"
#include "ca/service/keys/passphrase_change.hpp"
#include "ca/service/keys/root_signing.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "cli/input_file.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {

void add_root(CLI::App& app, Context& ctx) {
  auto* root = app.add_subcommand("root", "Offline root operations (no data directory needed)");
  root->require_subcommand(1);
  struct SignArgs { std::string root_key, csr, out, validity; };
  auto a = std::make_shared<SignArgs>();
  auto* sign = root->add_subcommand("sign", "Sign an issuing-CA CSR with the offline root");
  sign->footer(
      "The passphrase comes from --passphrase-file, INKAN_PASSPHRASE_FILE or the terminal.\n"
      "Only the CSR's public key and subject are used; the certificate gets the issuing-CA profile\n"
      "(CA:TRUE pathlen 0, keyCertSign and cRLSign). Bring FILE.pem back to `inkan ca import`.\n"
      "Example: inkan root sign --root-key /media/usb/root.pem --csr issuing.csr --out issuing.pem");
  sign->add_option("--root-key", a->root_key, "The file written by `inkan init --offline-root`")
      ->required()->type_name("FILE");
  sign->add_option("--csr", a->csr, "CSR from `inkan ca csr`")->required()->type_name("FILE.csr");
  sign->add_option("--out", a->out, "Where to write the issuing CA certificate (PEM)")->required()->type_name("FILE.pem");
  sign->add_option("--validity", a->validity, "Lifetime of the issuing CA (default 10y)");
  sign->callback([a, &ctx] {
    auto validity = parse_validity_option(a->validity).value_or(policy::kDefaultIssuingValidity);
    auto csr = read_input_file(a->csr, crypto::kMaxCsrBytes);
    crypto::parse_csr(csr);  // a broken CSR is refused before the passphrase is asked
    auto root_text = read_input_file(a->root_key, service::kMaxRootFileBytes);
    ensure_creatable_file(a->out);
    // A root on a token needs its PIN, not the passphrase.
    auto root_ca = service::root_file_token(root_text)
                       ? service::load_token_root_file(root_text, ctx.token_pin_source())
                       : service::load_root_file(root_text, ctx.passphrase());
    auto der = service::sign_issuing_ca_csr(root_ca, csr, ctx.clock().now(), validity, ctx.rng());
    write_public_file(a->out, crypto::pem_encode(der, "CERTIFICATE"));
    auto info = crypto::inspect_certificate(der);
    std::cout << "Signed " << info.subject << " (serial " << info.serial.hex() << "), valid until "
              << format_date(info.not_after) << ", into " << a->out << ".\n"
              << "Next, on the CA machine: inkan ca import --cert " << a->out << "\n";
  });

  struct PassArgs { std::string file, out, new_file; };
  auto p = std::make_shared<PassArgs>();
  auto* pass = root->add_subcommand("passphrase", "Write a copy of the offline root file under a new passphrase");
  pass->footer(
      "FILE is never changed: the copy goes to --out (created 0600, never overwritten). Check the\n"
      "copy (for example with `inkan root sign`) before destroying the old file.\n"
      "Example: inkan root passphrase /media/usb/root.pem --out /media/usb/root-2027.pem");
  pass->add_option("file", p->file, "The file written by `inkan init --offline-root`")->required()->type_name("FILE");
  pass->add_option("--out", p->out, "The new file")->required()->type_name("NEWFILE");
  pass->add_option("--new-passphrase-file", p->new_file,
                   "File whose first line is the new passphrase (default: asked twice on the terminal)")
      ->type_name("FILE");
  pass->callback([p, &ctx] {
    auto text = read_input_file(p->file, service::kMaxRootFileBytes);
    ensure_creatable_file(p->out);
    auto current = ctx.passphrase();
    auto replacement = ctx.replacement_passphrase(p->new_file);
    service::check_new_passphrase(current.view(), replacement.view());
    auto out = service::reencrypt_root_file(text, current.view(), replacement.view(), ctx.rng());
    service::write_secret_file(p->out, out);
    std::cout << "Wrote " << p->out << " (mode 0600): the same root key and certificate under the new passphrase.\n"
              << p->file << " is unchanged and still opens with the old one.\n";
  });
  add_root_crl(*root, ctx);
}

}  // namespace inkan::cli
