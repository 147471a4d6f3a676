#pragma once
// The OCSP responder (RFC 6960, with RFC 5019's pre-produced responses): answers good, revoked
// or unknown for the certificates of every CA whose key is held here, signed by that CA's
// delegated responder certificate (responder_certificates.hpp).
//
// Pre-produced responses: a request with one CertID and no nonce (nginx, RFC 5019 clients) is
// answered from a cache keyed by the CertID's DER. refresh(), called every few hundred
// milliseconds, reads the certificate status change log (one integer when nothing changed):
// the cached responses of a certificate whose state changed are dropped at once and signed
// again, so a revocation made by any process (`inkan revoke`, the management site) is served
// within one refresh; responses nearing nextUpdate are signed again before it. A request with
// a nonce or several CertIDs is signed fresh. Thread-safe: answer() runs on every worker.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "ca/crypto/ocsp/ocsp_request.hpp"
#include "ca/crypto/ocsp/ocsp_response.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/service/ocsp/certificate_status.hpp"
#include "ca/service/ocsp/ocsp_issuers.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// Requests larger than this are malformed, unread (ocsp_request.hpp).
inline constexpr std::size_t kMaxOcspRequestBytes = crypto::kMaxOcspRequestBytes;

struct OcspResponderPolicy {
  // nextUpdate - thisUpdate. A relying party that caches (nginx with ssl_ocsp_cache) keeps a
  // "good" this long after a revocation; one that asks per handshake never sees it.
  std::chrono::seconds validity{3600};
  // A cached response is signed again when fewer than this remain before its nextUpdate.
  std::chrono::seconds refresh_before{1800};
  std::size_t max_cert_ids = 16;        // more CertIDs in one request: malformedRequest
  std::size_t max_cached = 200'000;     // responses kept (about 1 KiB each)
  std::size_t max_presign_per_refresh = 2'000;  // new certificates signed ahead per refresh
};

enum class OcspOutcome { Successful, MalformedRequest, Unauthorized, InternalError };

struct OcspReply {
  OcspOutcome outcome = OcspOutcome::InternalError;
  Bytes der;  // the OCSPResponse to send, whatever the outcome
  // A pre-produced response (one CertID, no nonce): the same bytes for everyone until it is
  // signed again, so HTTP caches may keep it (max-age, ETag, Last-Modified).
  bool cacheable = false;
  Timestamp this_update{};
  Timestamp next_update{};
  std::string etag;  // lowercase hex SHA-256 of der, when cacheable
};

struct OcspRefreshResult {
  std::size_t changes = 0;    // certificate state changes read
  std::size_t resigned = 0;   // responses signed ahead
  bool cache_dropped = false; // the log had a gap or went backwards (a restore)
};

class OcspResponder {
 public:
  // `actor` is recorded when a responder certificate is issued ("serve:ocsp", "cli:<user>").
  OcspResponder(Keyring& keyring, const Clock& clock, Actor actor, OcspResponderPolicy policy = {});
  ~OcspResponder();
  OcspResponder(const OcspResponder&) = delete;
  OcspResponder& operator=(const OcspResponder&) = delete;

  // Reads our CAs and makes sure each has a responder certificate (issuing one when needed):
  // called once before serving, so the first request does not wait for a CA key.
  void prepare(Store& store, crypto::Rng& rng);

  // Never throws for bad input: malformed → the unsigned malformedRequest; a CertID of an issuer
  // we do not serve (or of two different CAs in one request) → unauthorized.
  OcspReply answer(Store& store, crypto::Rng& rng, const Bytes& request_der);
  // The answers that need neither the store nor a signature, so a server may give them on the
  // thread that read the request: malformedRequest, unauthorized, and a pre-produced response
  // still fresh. nullopt: answer() must sign (a nonce, several CertIDs, nothing cached yet).
  std::optional<OcspReply> answer_at_once(const Bytes& request_der) const;

  // Applies certificate state changes made since the last call, signs again what nears its
  // nextUpdate, renews responder certificates, and picks up new CAs (a rollover).
  OcspRefreshResult refresh(Store& store, crypto::Rng& rng);

  // `inkan ocsp --serial`: a signed response for one serial of one of our CAs (its CA found in
  // the certificates table), as a client asking with `hash` would get it.
  OcspReply respond_for_serial(Store& store, crypto::Rng& rng, const Serial& serial, crypto::OcspHash hash);

  std::size_t cached_responses() const;

 private:
  struct Signer;
  struct Cached;
  using CachedPtr = std::shared_ptr<const Cached>;

  // What answer() and answer_at_once() learn from the request before signing.
  struct Settling {
    crypto::OcspRequestInfo req;
    bool cacheable = false;
    std::int64_t seen_seq = 0;
    std::shared_ptr<const OcspIssuers> known;
    const CaRecord* ca = nullptr;  // in *known
  };
  std::optional<OcspReply> settle(const Bytes& request_der, Settling& s) const;
  void remember_request(const std::string& request_key, std::string cert_id_key) const;
  std::shared_ptr<const Signer> signer_for(Store& store, crypto::Rng& rng, const CaRecord& ca);
  std::shared_ptr<const OcspIssuers> issuers() const;
  void reload_issuers(Store& store);
  CachedPtr sign_single(Store& store, crypto::Rng& rng, const CaRecord& ca, const crypto::OcspCertId& id);
  void insert(CachedPtr entry, std::int64_t seen_seq);
  OcspReply reply_of(const Cached& c) const;

  Keyring& keyring_;
  const Clock& clock_;
  Actor actor_;
  OcspResponderPolicy policy_;

  mutable std::shared_mutex state_mutex_;  // issuers_ and signers_
  std::shared_ptr<const OcspIssuers> issuers_;
  std::map<std::int64_t, std::shared_ptr<const Signer>> signers_;
  std::mutex issue_mutex_;  // one responder certificate issued at a time

  mutable std::shared_mutex cache_mutex_;  // cache_ and applied_seq_
  std::unordered_map<std::string, CachedPtr> cache_;
  std::int64_t applied_seq_ = 0;  // the last status change the cache reflects

  // Request DER → the cache key of its one CertID, for requests once answered from the cache.
  mutable std::shared_mutex seen_requests_mutex_;
  mutable std::unordered_map<std::string, std::string> seen_requests_;
};

}  // namespace inkan::service
