#pragma once
// service::MailTransport over SMTP with libcurl: one connection per message to the relay of
// `--smtp smtp://HOST:PORT` (or smtps:// for TLS from the start), STARTTLS required when asked,
// AUTH with a user name and password read from a file (never argv). A refusal or an unreachable
// relay throws Error(Io) with the relay's answer as libcurl reports it.
#include <memory>
#include <optional>
#include <string>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/secrets/secret_string.hpp"
#include "ca/domain/time.hpp"
#include "ca/service/notify/mail_transport.hpp"

namespace inkan::mail {

struct SmtpSettings {
  std::string url;       // smtp://relay:25 or smtps://relay:465
  std::string from;      // envelope sender and From:
  bool starttls = false; // require STARTTLS (smtp://); smtps:// is TLS anyway
  std::optional<std::string> ca_file;  // the relay's CA for TLS, else the system's
  std::optional<std::string> username;
  std::optional<crypto::SecretString> password;
  long timeout_s = 30;
};

class SmtpTransport final : public service::MailTransport {
 public:
  SmtpTransport(SmtpSettings settings, const Clock& clock, crypto::Rng& rng);
  void send(const service::OutgoingMail& mail) override;

 private:
  SmtpSettings settings_;
  const Clock& clock_;
  crypto::Rng& rng_;
};

// The domain of an address ("inkan@ca.example" -> "ca.example"), for Message-ID.
std::string domain_of(const std::string& address);

}  // namespace inkan::mail
