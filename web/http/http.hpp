#pragma once
// The small HTTP vocabulary the handlers use. It hides cpp-httplib (compiled in https_server.cpp
// only) so that no other file of web/ includes httplib.h or OpenSSL.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace inkan::web {

using Bytes = std::vector<std::uint8_t>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> query;    // decoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote_addr;
  // The certificate the client presented in this connection's handshake (or in the handshake
  // of the session it resumed), DER. Verified by the TLS layer to chain to one of our CAs;
  // whether it may be used is decided against the database on every request.
  std::optional<Bytes> client_cert_der;
  // A certificate was presented but the TLS layer does not vouch for it (never expected: the
  // handshake refuses those). Treated as refused, never as "no certificate".
  bool client_cert_rejected = false;

  std::string header(const std::string& lower_name) const;
  std::string param(const std::string& name) const;  // query parameter, empty when absent
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // repeated names allowed (Set-Cookie)

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using Handler = std::function<Response(const Request&)>;

}  // namespace inkan::web
