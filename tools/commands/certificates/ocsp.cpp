// inkan ocsp: a signed OCSP response for one certificate, written to a file, for a relying party
// on the other side of an air gap (stapled-file workflows). Offline: no server needed; the
// CA's responder certificate is issued here when none is current.
#include <CLI/CLI.hpp>

#include <iostream>

#include "ca/crypto/ocsp/ocsp_response.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/ocsp/ocsp_responder.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct OcspArgs {
  std::string serial, out, hash = "sha1";
};

void run_ocsp(const OcspArgs& a, Context& ctx) {
  const auto serial = Serial::parse(a.serial);
  ensure_creatable_file(a.out);
  const auto hash = a.hash == "sha256" ? crypto::OcspHash::Sha256 : crypto::OcspHash::Sha1;
  service::OcspResponder responder(ctx.keyring(), ctx.clock(), ctx.actor());
  auto reply = responder.respond_for_serial(ctx.store(), ctx.rng(), serial, hash);
  write_public_file(a.out, std::string_view(reinterpret_cast<const char*>(reply.der.data()), reply.der.size()));
  const auto answer = crypto::read_ocsp_response(reply.der).answers.at(0);
  std::string status = answer.status == crypto::OcspCertStatus::Good      ? "good"
                       : answer.status == crypto::OcspCertStatus::Revoked ? "revoked"
                                                                          : "unknown";
  if (answer.status == crypto::OcspCertStatus::Revoked)
    status += " at " + ctx.local_time(answer.revoked_at, TimeStyle::Second) +
              (answer.reason ? " (" + std::string(to_string(*answer.reason)) + ")" : std::string());
  std::cout << serial.hex() << ": " << status << "\n";
  std::cerr << "Wrote the OCSP response for " << serial.hex() << " to " << a.out << " (this update "
            << ctx.local_time(reply.this_update) << ", next update " << ctx.local_time(reply.next_update) << ")\n";
}

}  // namespace

void add_ocsp(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<OcspArgs>();
  auto* cmd = app.add_subcommand("ocsp", "Write a signed OCSP response for one certificate (offline)");
  cmd->footer(
      "The response (DER) says good or revoked (with time and reason), is signed by the issuing CA's\n"
      "delegated responder certificate (issued now when none is current) and is valid for one hour.\n"
      "Check it with:\n"
      "  openssl ocsp -respin FILE -issuer issuing.pem -CAfile chain.pem -resp_text\n"
      "For live answers run `inkan serve --ocsp-listen ADDR:PORT` (docs/integration.md).");
  cmd->add_option("--serial", a->serial, "Serial of the certificate (hex, as `inkan list` prints it)")
      ->required()
      ->type_name("SERIAL");
  cmd->add_option("--out", a->out, "Output file (DER); must not exist")->required()->type_name("FILE");
  cmd->add_option("--hash", a->hash, "Hash of the CertID in the response, as the relying party will ask (nginx: sha1)")
      ->check(CLI::IsMember({"sha1", "sha256"}))
      ->type_name("sha1|sha256")
      ->capture_default_str();
  cmd->callback([a, &ctx] { run_ocsp(*a, ctx); });
}

}  // namespace inkan::cli
