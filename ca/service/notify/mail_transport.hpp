#pragma once
// How `inkan notify expiring` hands a message to a mail relay. The SMTP adapter (mail/, on
// libcurl) builds the MIME message (UTF-8 body, RFC 2047 subject, Message-ID, Date) and speaks
// to the relay; the service only says who gets what.
#include <string>

namespace inkan::service {

struct OutgoingMail {
  std::string to;       // one address
  std::string subject;  // UTF-8
  std::string body;     // UTF-8 text, lines separated by "\n"
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Returns when the relay accepted the message. Throws Error(Io) carrying the relay's answer
  // (or why it could not be reached) otherwise.
  virtual void send(const OutgoingMail& mail) = 0;
};

}  // namespace inkan::service
