#pragma once
// An RFC 5322 / MIME message of one UTF-8 text part: From, To, Subject (RFC 2047 "B" encoded
// words when not plain ASCII), Date (RFC 5322), Message-ID, MIME-Version, Content-Type
// text/plain; charset=UTF-8 and a base64 body, every line ending in CRLF.
#include <string>
#include <string_view>

#include "ca/domain/time.hpp"
#include "ca/service/notify/mail_transport.hpp"

namespace inkan::mail {

// Encoded words of at most 75 characters, split between UTF-8 characters, folded onto
// continuation lines; ASCII text without controls is returned as it is.
std::string encode_header_words(std::string_view utf8);
// "Mon, 07 Dec 2026 21:37:36 +0000"
std::string rfc5322_date(Timestamp t);

struct MimeEnvelope {
  std::string from;
  Timestamp date{};
  std::string message_id;  // without the angle brackets: "<token>@<domain>"
};

std::string build_mime_message(const service::OutgoingMail& mail, const MimeEnvelope& envelope);

// Header values must not carry CR or LF (a header injection): Error(InvalidArgument).
void require_single_line(std::string_view what, std::string_view value);

}  // namespace inkan::mail
