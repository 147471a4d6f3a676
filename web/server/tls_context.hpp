#pragma once
// TLS policy of the server, on OpenSSL 3: protocol versions and ciphers, no renegotiation,
// the server certificate (swapped at run time when it is renewed), and client certificates:
// requested but optional, accepted only when they chain to one of our own CAs (expired and
// not-yet-valid ones pass the handshake so the portal can explain; the database decides).
#include <memory>
#include <mutex>
#include <vector>

#include "web/monitoring/metrics_registry.hpp"

#include "web/http/http.hpp"

struct ssl_ctx_st;  // SSL_CTX
struct ssl_st;      // SSL

namespace inkan::web {

struct TlsIdentity {
  Bytes cert_der;
  std::vector<Bytes> chain_der;  // issuing CA, root
  Bytes key_pkcs8_der;           // unencrypted PKCS#8, in memory only
};

class TlsState {
 public:
  TlsState(const TlsIdentity& identity, const std::vector<Bytes>& trusted_ca_der);
  ~TlsState();
  TlsState(const TlsState&) = delete;
  TlsState& operator=(const TlsState&) = delete;

  // Used by handshakes that start afterwards.
  void set_identity(const TlsIdentity& identity);
  void set_trusted_cas(const std::vector<Bytes>& trusted_ca_der);

  // Installs the policy on the server's context (the SSLServer setup callback).
  bool configure(ssl_ctx_st& ctx);
  // Per handshake: the current identity, trust store and acceptable-CA list.
  int select(ssl_st* ssl);

 private:
  struct Identity;
  struct Trust;
  mutable std::mutex mutex_;
  std::shared_ptr<const Identity> identity_;
  std::shared_ptr<const Trust> trust_;
};

// Whether the TLS layer vouches for the peer certificate of a connection: it chains to one of
// our CAs (possibly expired or not yet valid). Used on every request, resumed sessions too.
bool peer_certificate_acceptable(long verify_result);

// Why a handshake on `ssl` failed, for the metrics: OpenSSL's verdict on the client certificate
// (a chain to none of our CAs: unknown_ca; a CA certificate or a wrong purpose: bad_certificate),
// else a timeout or a protocol failure.
HandshakeFailure handshake_failure_of(const ssl_st* ssl, bool timed_out);

}  // namespace inkan::web
