// inkan sign: sign a CSR with the client profile; nothing but the key and CN comes from the CSR.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/crypto/x509/csr.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "cli/parse.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct SignArgs {
  std::string csr, tenant, cn, validity, not_before, out, kind = "terminal";
};

std::string read_bounded(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, "cannot read " + path);
  std::string data(crypto::kMaxCsrBytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() > crypto::kMaxCsrBytes) throw Error(ErrorCode::InvalidCsr, path + " is larger than a CSR can be");
  return data;
}

void run_sign(const SignArgs& a, Context& ctx) {
  service::CsrSignRequest req;
  req.tenant_id = a.tenant;
  req.csr = read_bounded(a.csr);
  if (!a.cn.empty()) req.common_name = a.cn;
  req.kind = parse_kind_option(a.kind);
  req.validity = parse_validity_option(a.validity);
  req.not_before = parse_not_before_option(a.not_before);
  crypto::parse_csr(req.csr);       // a broken CSR is refused before the passphrase is asked
  ensure_creatable_file(a.out);     // and an unwritable --out before anything is reserved
  service::Issuer issuer(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
  auto rec = issuer.sign_csr(req);
  write_public_file(a.out, crypto::pem_encode(rec.cert_der, "CERTIFICATE"));
  std::cout << rec.serial.hex() << "\n";
}

}  // namespace

void add_sign(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<SignArgs>();
  auto* cmd = app.add_subcommand("sign", "Sign a PKCS#10 CSR with the client-certificate profile");
  cmd->footer(
      "The CSR's signature is verified. Its public key and (unless --cn is given) its CN are used;\n"
      "every extension it requests (CA, key usages, SANs, lifetime) is ignored: the certificate gets\n"
      "exactly the client profile. Example: inkan sign --csr dev.csr --tenant acme --out dev.pem");
  cmd->add_option("--csr", a->csr, "CSR file, PEM or DER")->required()->type_name("FILE");
  cmd->add_option("--tenant", a->tenant, "Tenant id")->required();
  cmd->add_option("--cn", a->cn, "Common name to use instead of the CSR's");
  cmd->add_option("--kind", a->kind, "terminal|tenant-admin")->capture_default_str();
  cmd->add_option("--validity", a->validity, "Lifetime such as 3y, 90d (default 3y)");
  cmd->add_option("--not-before", a->not_before, "Start of validity, YYYY-MM-DD (default: now)");
  cmd->add_option("--out", a->out, "Where to write the certificate (PEM)")->required()->type_name("FILE.pem");
  cmd->callback([a, &ctx] { run_sign(*a, ctx); });
}

}  // namespace inkan::cli
