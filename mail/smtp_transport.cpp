#include "mail/smtp_transport.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>

#include "ca/domain/error.hpp"
#include "mail/mime_message.hpp"

namespace inkan::mail {
namespace {

struct Upload {
  const std::string* data;
  std::size_t sent = 0;
};

size_t read_payload(char* buffer, size_t size, size_t nitems, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * nitems, u->data->size() - u->sent);
  std::memcpy(buffer, u->data->data() + u->sent, n);
  u->sent += n;
  return n;
}

std::string hex_token(crypto::Rng& rng) {
  std::uint8_t raw[16];
  rng.fill(raw);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : raw) out += kHex[b >> 4], out += kHex[b & 15];
  return out;
}

void ensure_global_init() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  if (!done) throw Error(ErrorCode::Io, "cannot initialise libcurl");
}

}  // namespace

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  std::string d = at == std::string::npos ? "" : address.substr(at + 1);
  while (!d.empty() && (d.back() == '>' || d.back() == ' ')) d.pop_back();
  return d.empty() ? "inkan.invalid" : d;
}

SmtpTransport::SmtpTransport(SmtpSettings settings, const Clock& clock, crypto::Rng& rng)
    : settings_(std::move(settings)), clock_(clock), rng_(rng) {
  ensure_global_init();
}

void SmtpTransport::send(const service::OutgoingMail& mail) {
  const MimeEnvelope envelope{settings_.from, clock_.now(), hex_token(rng_) + "@" + domain_of(settings_.from)};
  const std::string message = build_mime_message(mail, envelope);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error(ErrorCode::Io, "cannot start libcurl");
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + mail.to + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpt, curl_slist_free_all);
  Upload upload{&message};
  curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + settings_.from + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_payload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, settings_.timeout_s);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (settings_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (settings_.ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, settings_.ca_file->c_str());
  if (settings_.username) curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username->c_str());
  if (settings_.password) curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password->str().c_str());
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    std::string why = error[0] ? error : curl_easy_strerror(rc);
    if (reply) why += " (last reply " + std::to_string(reply) + ")";
    throw Error(ErrorCode::Io, "the mail relay " + settings_.url + " did not take the message for " + mail.to + ": " + why);
  }
}

}  // namespace inkan::mail
