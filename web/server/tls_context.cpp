#include "web/server/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca/domain/error.hpp"

namespace inkan::web {
namespace {

// Mozilla's "intermediate" TLS 1.2 list; TLS 1.3 keeps OpenSSL's defaults (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr unsigned char kSessionIdContext[] = "inkan-serve";

X509* parse_cert(const Bytes& der) {
  const unsigned char* p = der.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (!x) throw Error(ErrorCode::Crypto, "OpenSSL cannot read a certificate");
  return x;
}

int verify_client(int preverify_ok, X509_STORE_CTX* store_ctx) {
  const int depth = X509_STORE_CTX_get_error_depth(store_ctx);
  X509* cert = X509_STORE_CTX_get_current_cert(store_ctx);
  // A CA certificate is never a client's identity.
  if (depth == 0 && cert && X509_check_ca(cert) != 0) {
    X509_STORE_CTX_set_error(store_ctx, X509_V_ERR_INVALID_PURPOSE);
    return 0;
  }
  if (preverify_ok) return 1;
  // Our own certificate outside its validity: let the handshake finish so the portal can say
  // what happened; every request refuses it against the database anyway.
  const int err = X509_STORE_CTX_get_error(store_ctx);
  return (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID) ? 1 : 0;
}

int select_callback(SSL* ssl, void* arg) { return static_cast<TlsState*>(arg)->select(ssl); }

}  // namespace

struct TlsState::Identity {
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  STACK_OF(X509)* chain = nullptr;
  explicit Identity(const TlsIdentity& id) {
    cert = parse_cert(id.cert_der);
    const unsigned char* p = id.key_pkcs8_der.data();
    key = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(id.key_pkcs8_der.size()));
    chain = sk_X509_new_null();
    for (const auto& c : id.chain_der) sk_X509_push(chain, parse_cert(c));
    if (!key || X509_check_private_key(cert, key) != 1) {
      release();
      throw Error(ErrorCode::Crypto, "the server key does not match the server certificate");
    }
  }
  ~Identity() { release(); }
  void release() {
    X509_free(cert);
    EVP_PKEY_free(key);
    sk_X509_pop_free(chain, X509_free);
    cert = nullptr, key = nullptr, chain = nullptr;
  }
};

struct TlsState::Trust {
  X509_STORE* store = nullptr;
  STACK_OF(X509_NAME)* names = nullptr;
  explicit Trust(const std::vector<Bytes>& cas) {
    store = X509_STORE_new();
    names = sk_X509_NAME_new_null();
    for (const auto& der : cas) {
      X509* x = parse_cert(der);
      X509_STORE_add_cert(store, x);
      sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(x)));
      X509_free(x);
    }
  }
  ~Trust() {
    X509_STORE_free(store);
    sk_X509_NAME_pop_free(names, X509_NAME_free);
  }
};

TlsState::TlsState(const TlsIdentity& identity, const std::vector<Bytes>& trusted)
    : identity_(std::make_shared<const Identity>(identity)), trust_(std::make_shared<const Trust>(trusted)) {}
TlsState::~TlsState() = default;

void TlsState::set_identity(const TlsIdentity& identity) {
  auto fresh = std::make_shared<const Identity>(identity);
  std::lock_guard lock(mutex_);
  identity_ = std::move(fresh);
}

void TlsState::set_trusted_cas(const std::vector<Bytes>& trusted) {
  auto fresh = std::make_shared<const Trust>(trusted);
  std::lock_guard lock(mutex_);
  trust_ = std::move(fresh);
}

bool TlsState::configure(ssl_ctx_st& ctx) {
  SSL_CTX* c = &ctx;
  SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
  SSL_CTX_set_options(c, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(c, kTls12Ciphers) != 1) return false;
  // Resumed sessions keep the peer certificate; each request re-checks it in the database.
  SSL_CTX_set_session_id_context(c, kSessionIdContext, sizeof(kSessionIdContext) - 1);
  // One TLS 1.3 ticket per full handshake, not OpenSSL's default two: a browser resumes with one,
  // and OpenSSL 3.0 makes every further ticket from a copy of the session taken through
  // i2d/d2i_SSL_SESSION, which re-decodes the client certificate's key with the provider
  // decoders (9 % of the server's CPU during the renewal benchmark).
  SSL_CTX_set_num_tickets(c, 1);
  SSL_CTX_set_verify(c, SSL_VERIFY_PEER, verify_client);  // requested, not required
  SSL_CTX_set_verify_depth(c, 4);
  SSL_CTX_set_purpose(c, X509_PURPOSE_SSL_CLIENT);          // clientAuth, when an EKU is present
  SSL_CTX_set_cert_cb(c, select_callback, this);
  // A usable default in case a handshake does not reach the callback.
  std::shared_ptr<const Identity> id;
  {
    std::lock_guard lock(mutex_);
    id = identity_;
  }
  if (SSL_CTX_use_certificate(c, id->cert) != 1 || SSL_CTX_use_PrivateKey(c, id->key) != 1) return false;
  for (int i = 0; i < sk_X509_num(id->chain); ++i) SSL_CTX_add1_chain_cert(c, sk_X509_value(id->chain, i));
  return true;
}

int TlsState::select(ssl_st* ssl) {
  std::shared_ptr<const Identity> id;
  std::shared_ptr<const Trust> trust;
  {
    std::lock_guard lock(mutex_);
    id = identity_;
    trust = trust_;
  }
  if (SSL_use_certificate(ssl, id->cert) != 1 || SSL_use_PrivateKey(ssl, id->key) != 1) return 0;
  if (SSL_set1_chain(ssl, id->chain) != 1) return 0;
  if (SSL_set1_verify_cert_store(ssl, trust->store) != 1) return 0;
  STACK_OF(X509_NAME)* names = SSL_dup_CA_list(trust->names);
  SSL_set_client_CA_list(ssl, names);  // browsers offer only certificates from these CAs
  return 1;
}

bool peer_certificate_acceptable(long verify_result) {
  return verify_result == X509_V_OK || verify_result == X509_V_ERR_CERT_HAS_EXPIRED ||
         verify_result == X509_V_ERR_CERT_NOT_YET_VALID;
}

HandshakeFailure handshake_failure_of(const ssl_st* ssl, bool timed_out) {
  // Only a certificate the client sent has a verdict; without one the result stays X509_V_OK.
  const long verdict = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
  switch (verdict) {
    case X509_V_OK:
    case X509_V_ERR_CERT_HAS_EXPIRED:  // accepted by verify_client: not the cause
    case X509_V_ERR_CERT_NOT_YET_VALID: return timed_out ? HandshakeFailure::Timeout : HandshakeFailure::Protocol;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED: return HandshakeFailure::UnknownCa;
    default: return HandshakeFailure::BadCertificate;
  }
}

}  // namespace inkan::web
