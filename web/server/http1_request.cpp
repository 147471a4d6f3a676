#include "web/server/http1_request.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "web/http/encoding.hpp"

namespace inkan::web {
namespace {

bool is_token_char(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!is_token_char(c)) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A path's %XX escapes decoded ('+' stays '+'), as cpp-httplib decodes paths on the HTTPS port;
// an escape that is not two hex digits stays as it is.
std::string decode_path(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Content-Length: digits only, no sign, no list; nullopt when it is not one.
std::optional<std::size_t> content_length(std::string_view v) {
  if (v.empty() || v.size() > 18) return std::nullopt;
  std::size_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

// Whether a Connection header lists `option` (case-insensitive, comma-separated).
bool lists(std::string_view header, std::string_view option) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    if (lower(trim_ows(header.substr(0, comma))) == option) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

Http1Parse refused(int status) {
  Http1Parse p;
  p.outcome = Http1Outcome::Refused;
  p.status = status;
  return p;
}

}  // namespace

void Http1RequestReader::reset() {
  guard_ = RequestHeadGuard(limits_.head);
  fed_ = 0;
  head_bytes_ = 0;
  body_bytes_ = 0;
  head_ = {};
}

Http1Parse Http1RequestReader::parse(std::string_view buffered) {
  if (guard_.verdict() == RequestHeadGuard::Verdict::TooLarge) return refused(431);
  if (guard_.verdict() == RequestHeadGuard::Verdict::RequestLineTooLong) return refused(414);
  if (head_bytes_ == 0) {
    // One byte at a time: the guard's verdict then tells exactly where the head ends.
    while (fed_ < buffered.size()) {
      const auto verdict = guard_.feed(buffered.data() + fed_, 1);
      ++fed_;
      if (verdict == RequestHeadGuard::Verdict::TooLarge) return refused(431);
      if (verdict == RequestHeadGuard::Verdict::RequestLineTooLong) return refused(414);
      if (verdict == RequestHeadGuard::Verdict::Complete) {
        head_bytes_ = fed_;
        break;
      }
    }
    if (head_bytes_ == 0) return {};
    head_ = parse_head(buffered.substr(0, head_bytes_));
  }
  if (head_.outcome == Http1Outcome::Refused) return head_;
  // The head is read once; a body that arrives slowly only waits for its length.
  const auto rest = buffered.substr(head_bytes_);
  if (rest.size() < body_bytes_) return {};
  Http1Parse p = head_;
  p.request.body = std::string(rest.substr(0, body_bytes_));
  p.outcome = Http1Outcome::Complete;
  p.consumed = head_bytes_ + body_bytes_;
  return p;
}

Http1Parse Http1RequestReader::parse_head(std::string_view head) {
  Http1Parse p;
  Request& req = p.request;
  // Lines end in LF, with or without CR before it; the last line is the empty one.
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < head.size();) {
    auto end = head.find('\n', start);
    if (end == std::string_view::npos) return refused(400);  // cannot happen: the guard saw the end
    auto line = head.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    for (char c : line)
      if (c == '\r' || c == '\0') return refused(400);
    lines.push_back(line);
    start = end + 1;
  }
  if (lines.size() < 2 || !lines.back().empty()) return refused(400);
  lines.pop_back();

  // The request line: METHOD SP origin-form SP HTTP/1.x
  const auto line = lines.front();
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return refused(400);
  const auto method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1), version = line.substr(sp2 + 1);
  if (!is_token(method) || method.size() > 16) return refused(400);
  if (target.size() > limits_.max_target_bytes) return refused(414);
  if (target.empty() || target.front() != '/') return refused(400);
  for (unsigned char c : target)
    if (c <= 0x20 || c == 0x7f) return refused(400);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/") return refused(400);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return refused(505);
  const bool http11 = version == "HTTP/1.1";

  req.method = std::string(method);
  const auto q = target.find('?');
  req.path = decode_path(target.substr(0, q));
  if (q != std::string_view::npos) req.query = parse_form(target.substr(q + 1));

  std::optional<std::size_t> length;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto colon = lines[i].find(':');
    if (colon == std::string_view::npos) return refused(400);
    const auto name = lines[i].substr(0, colon);
    if (!is_token(name)) return refused(400);  // also a folded line (leading space) or a space before ':'
    const auto value = trim_ows(lines[i].substr(colon + 1));
    auto key = lower(name);
    if (key == "transfer-encoding") return refused(411);
    if (key == "content-length") {
      auto n = content_length(value);
      if (!n || (length && *length != *n)) return refused(400);
      length = n;
    }
    req.headers.emplace(std::move(key), std::string(value));  // a repeated name: the first one counts
  }
  const bool body_method = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
  if (body_method && !length) return refused(411);
  if (length && *length > limits_.max_body_bytes) return refused(413);
  body_bytes_ = length.value_or(0);
  const auto connection = req.header("connection");
  p.keep_alive = http11 ? !lists(connection, "close") : lists(connection, "keep-alive");
  return p;  // NeedMore until the body is in
}

}  // namespace inkan::web
