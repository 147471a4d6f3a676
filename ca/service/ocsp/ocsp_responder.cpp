#include "ca/service/ocsp/ocsp_responder.hpp"

#include <unordered_set>
#include <vector>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/ocsp/responder_certificates.hpp"

namespace inkan::service {
namespace {

std::string key_of(const Bytes& cert_id_der) { return std::string(cert_id_der.begin(), cert_id_der.end()); }

crypto::OcspCertStatus to_crypto(OcspStatus s) {
  switch (s) {
    case OcspStatus::Good: return crypto::OcspCertStatus::Good;
    case OcspStatus::Revoked: return crypto::OcspCertStatus::Revoked;
    case OcspStatus::Unknown: break;
  }
  return crypto::OcspCertStatus::Unknown;
}

OcspReply failure(OcspOutcome outcome, crypto::OcspFailure f) {
  OcspReply r;
  r.outcome = outcome;
  r.der = crypto::ocsp_failure_response(f);
  return r;
}

// Changes read from the log per refresh; more wait for the next one.
constexpr std::size_t kChangesPerRefresh = 20'000;

}  // namespace

struct OcspResponder::Signer {
  Signer(const Bytes& cert_der, const Bytes& key_pkcs8_der, Timestamp end)
      : signer(cert_der, key_pkcs8_der), not_after(end) {}
  crypto::OcspSigner signer;
  Timestamp not_after;
};

struct OcspResponder::Cached {
  std::int64_t ca_id = 0;
  crypto::OcspCertId id;
  Bytes der;
  Timestamp this_update{};
  Timestamp next_update{};
  std::string etag;
};

OcspResponder::OcspResponder(Keyring& keyring, const Clock& clock, Actor actor, OcspResponderPolicy policy)
    : keyring_(keyring), clock_(clock), actor_(std::move(actor)), policy_(policy),
      issuers_(std::make_shared<OcspIssuers>()) {}

OcspResponder::~OcspResponder() = default;

std::shared_ptr<const OcspIssuers> OcspResponder::issuers() const {
  std::shared_lock lock(state_mutex_);
  return issuers_;
}

void OcspResponder::reload_issuers(Store& store) {
  auto fresh = std::make_shared<const OcspIssuers>(OcspIssuers::load(store));
  std::unique_lock lock(state_mutex_);
  issuers_ = std::move(fresh);
}

std::shared_ptr<const OcspResponder::Signer> OcspResponder::signer_for(Store& store, crypto::Rng& rng,
                                                                        const CaRecord& ca) {
  const auto now = clock_.now();
  {
    std::shared_lock lock(state_mutex_);
    auto it = signers_.find(ca.id);
    if (it != signers_.end() && now + policy::kOcspResponderRenewBefore < it->second->not_after) return it->second;
  }
  std::lock_guard issuing(issue_mutex_);
  {
    std::shared_lock lock(state_mutex_);  // another thread may have done it meanwhile
    auto it = signers_.find(ca.id);
    if (it != signers_.end() && now + policy::kOcspResponderRenewBefore < it->second->not_after) return it->second;
  }
  auto cred = ResponderCertificates(store, keyring_, clock_, rng, actor_).ensure(ca.id);
  auto signer = std::make_shared<const Signer>(cred.cert_der, cred.key_pkcs8_der, cred.not_after);
  std::fill(cred.key_pkcs8_der.begin(), cred.key_pkcs8_der.end(), std::uint8_t{0});
  std::unique_lock lock(state_mutex_);
  signers_[ca.id] = signer;
  return signer;
}

void OcspResponder::prepare(Store& store, crypto::Rng& rng) {
  reload_issuers(store);
  for (const auto& ca : issuers()->cas()) {
    if (ca.not_after <= clock_.now() + std::chrono::days(1)) continue;  // no responder can be issued
    signer_for(store, rng, ca);
  }
  std::unique_lock lock(cache_mutex_);
  applied_seq_ = store.ocsp().status_change_head();
}

OcspReply OcspResponder::reply_of(const Cached& c) const {
  OcspReply r;
  r.outcome = OcspOutcome::Successful;
  r.der = c.der;
  r.cacheable = true;
  r.this_update = c.this_update;
  r.next_update = c.next_update;
  r.etag = c.etag;
  return r;
}

OcspResponder::CachedPtr OcspResponder::sign_single(Store& store, crypto::Rng& rng, const CaRecord& ca,
                                                    const crypto::OcspCertId& id) {
  auto signer = signer_for(store, rng, ca);
  const auto st = certificate_status(store, ca, id.serial);
  const auto now = clock_.now();
  auto c = std::make_shared<Cached>();
  c->ca_id = ca.id;
  c->id = id;
  c->this_update = now;
  c->next_update = now + policy_.validity;
  c->der = signer->signer.sign({{id.der, to_crypto(st.status), st.revoked_at, st.reason, c->this_update, c->next_update}},
                               std::nullopt);
  c->etag = crypto::sha256_hex(c->der);
  return c;
}

void OcspResponder::insert(CachedPtr entry, std::int64_t seen_seq) {
  std::unique_lock lock(cache_mutex_);
  // A state change applied since this response read the database may not be in it: keep it
  // out of the cache (it was still true when read, so it is sent).
  if (applied_seq_ != seen_seq) return;
  if (cache_.size() >= policy_.max_cached && !cache_.contains(key_of(entry->id.der))) cache_.erase(cache_.begin());
  cache_[key_of(entry->id.der)] = std::move(entry);
}

std::optional<OcspReply> OcspResponder::settle(const Bytes& request_der, Settling& s) const {
  // A request seen before (nginx sends the same bytes for a certificate every time): its CertID
  // without parsing the DER again, which was the largest user-space cost of a cached answer.
  const std::string request_key(request_der.begin(), request_der.end());
  {
    std::shared_lock seen(seen_requests_mutex_);
    if (auto known = seen_requests_.find(request_key); known != seen_requests_.end()) {
      std::shared_lock lock(cache_mutex_);
      auto it = cache_.find(known->second);
      if (it != cache_.end() && clock_.now() + policy_.refresh_before / 2 < it->second->next_update)
        return reply_of(*it->second);
    }
  }
  try {
    s.req = crypto::parse_ocsp_request(request_der);
  } catch (const Error&) {
    return failure(OcspOutcome::MalformedRequest, crypto::OcspFailure::MalformedRequest);
  }
  if (s.req.cert_ids.size() > policy_.max_cert_ids)
    return failure(OcspOutcome::MalformedRequest, crypto::OcspFailure::MalformedRequest);

  s.cacheable = s.req.cert_ids.size() == 1 && !s.req.nonce;
  if (s.cacheable) {
    std::shared_lock lock(cache_mutex_);
    s.seen_seq = applied_seq_;
    auto key = key_of(s.req.cert_ids.front().der);
    auto it = cache_.find(key);
    // refresh() signs again well before nextUpdate; this bound only matters when it is late.
    if (it != cache_.end() && clock_.now() + policy_.refresh_before / 2 < it->second->next_update) {
      auto reply = reply_of(*it->second);
      lock.unlock();
      remember_request(request_key, std::move(key));
      return reply;
    }
  }

  // RFC 6960 §4.2.2.2: a delegated responder answers only for its own CA, so one request
  // answers for one CA.
  s.known = issuers();
  for (const auto& id : s.req.cert_ids) {
    const auto* match = s.known->match(id);
    if (!match || (s.ca && s.ca->id != match->id))
      return failure(OcspOutcome::Unauthorized, crypto::OcspFailure::Unauthorized);
    s.ca = match;
  }
  return std::nullopt;
}

void OcspResponder::remember_request(const std::string& request_key, std::string cert_id_key) const {
  // Parsing is deterministic, so an entry never goes stale; the map is only bounded.
  std::unique_lock seen(seen_requests_mutex_);
  if (seen_requests_.size() >= policy_.max_cached) seen_requests_.clear();
  seen_requests_.emplace(request_key, std::move(cert_id_key));
}

std::optional<OcspReply> OcspResponder::answer_at_once(const Bytes& request_der) const {
  Settling s;
  return settle(request_der, s);
}

OcspReply OcspResponder::answer(Store& store, crypto::Rng& rng, const Bytes& request_der) {
  Settling s;
  if (auto settled = settle(request_der, s)) return std::move(*settled);
  const auto& req = s.req;
  const bool cacheable = s.cacheable;
  const auto seen_seq = s.seen_seq;
  const CaRecord* ca = s.ca;
  try {
    if (cacheable) {
      auto entry = sign_single(store, rng, *ca, req.cert_ids.front());
      auto reply = reply_of(*entry);
      insert(std::move(entry), seen_seq);
      return reply;
    }
    auto signer = signer_for(store, rng, *ca);
    const auto now = clock_.now();
    std::vector<crypto::OcspSingleAnswer> answers;
    for (const auto& id : req.cert_ids) {
      const auto st = certificate_status(store, *ca, id.serial);
      answers.push_back({id.der, to_crypto(st.status), st.revoked_at, st.reason, now, now + policy_.validity});
    }
    OcspReply r;
    r.outcome = OcspOutcome::Successful;
    r.der = signer->signer.sign(answers, req.nonce);
    r.this_update = now;
    r.next_update = now + policy_.validity;
    return r;
  } catch (const Error&) {
    // No responder certificate can be had (the CA expires within a day) or the store failed.
    return failure(OcspOutcome::InternalError, crypto::OcspFailure::InternalError);
  }
}

OcspRefreshResult OcspResponder::refresh(Store& store, crypto::Rng& rng) {
  OcspRefreshResult result;
  std::int64_t from = 0;
  {
    std::shared_lock lock(cache_mutex_);
    from = applied_seq_;
  }
  const auto head = store.ocsp().status_change_head();
  std::vector<CachedPtr> stale;  // entries to sign again
  std::unordered_set<std::string> changed;  // serials (hex) whose state changed
  if (head != from) {
    auto changes = store.ocsp().status_changes_after(from, kChangesPerRefresh);
    const bool gap = head < from || changes.empty() || changes.front().seq != from + 1;
    result.changes = changes.size();
    const auto applied = gap ? head : changes.back().seq;
    for (const auto& c : changes) changed.insert(c.serial.hex());
    reload_issuers(store);  // a new issuing CA (rollover) shows itself by issuing
    std::unique_lock lock(cache_mutex_);
    if (gap) {
      cache_.clear();
      result.cache_dropped = true;
      changed.clear();
    } else {
      for (auto it = cache_.begin(); it != cache_.end();) {
        bool hit = false;
        try {
          hit = changed.contains(Serial::from_bytes(it->second->id.serial).hex());
        } catch (const std::exception&) {
        }
        if (hit) {
          stale.push_back(it->second);
          it = cache_.erase(it);  // from now on a request reads the database again
        } else {
          ++it;
        }
      }
    }
    applied_seq_ = applied;
  }

  // Sign ahead: what changed (in the forms clients asked for, and nginx's SHA-1 form for a
  // certificate nobody asked about yet), and what nears its nextUpdate.
  const auto now = clock_.now();
  {
    std::shared_lock lock(cache_mutex_);
    for (const auto& [k, v] : cache_)
      if (v->next_update - policy_.refresh_before <= now) stale.push_back(v);
  }
  std::unordered_set<std::string> have;
  for (const auto& s : stale) have.insert(key_of(s->id.der));
  auto known = issuers();
  std::vector<std::pair<const CaRecord*, crypto::OcspCertId>> todo;
  for (const auto& s : stale)
    for (const auto& ca : known->cas())
      if (ca.id == s->ca_id) todo.emplace_back(&ca, s->id);
  std::size_t presigned = 0;
  for (const auto& hex : changed) {
    if (presigned >= policy_.max_presign_per_refresh) break;
    const auto serial = Serial::parse(hex);
    auto rec = store.certificates().find(serial);
    if (!rec) continue;
    for (const auto& ca : known->cas()) {
      if (ca.id != rec->ca_id) continue;
      auto id = crypto::make_ocsp_cert_id(ca.cert_der, serial, crypto::OcspHash::Sha1);
      if (have.insert(key_of(id.der)).second) {
        todo.emplace_back(&ca, std::move(id));
        ++presigned;
      }
    }
  }
  std::int64_t seen = 0;
  {
    std::shared_lock lock(cache_mutex_);
    seen = applied_seq_;
  }
  for (const auto& [ca, id] : todo) {
    try {
      insert(sign_single(store, rng, *ca, id), seen);
      ++result.resigned;
    } catch (const Error&) {
      // Left out of the cache: the next request signs it (or reports why it cannot).
    }
  }

  // Responder certificates: renewed days before they end (signer_for does it when due).
  for (const auto& ca : known->cas()) {
    if (ca.not_after <= now + std::chrono::days(1)) continue;
    try {
      signer_for(store, rng, ca);
    } catch (const Error&) {
    }
  }
  return result;
}

OcspReply OcspResponder::respond_for_serial(Store& store, crypto::Rng& rng, const Serial& serial,
                                            crypto::OcspHash hash) {
  reload_issuers(store);
  auto rec = store.certificates().find(serial);
  if (!rec || rec->state == CertState::Reserved)
    throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
  auto known = issuers();
  for (const auto& ca : known->cas())
    if (ca.id == rec->ca_id) return reply_of(*sign_single(store, rng, ca, crypto::make_ocsp_cert_id(ca.cert_der, serial, hash)));
  throw Error(ErrorCode::InvalidState, "the key of the CA that issued " + serial.hex() +
                                           " is not held here: no OCSP response can be signed for it");
}

std::size_t OcspResponder::cached_responses() const {
  std::shared_lock lock(cache_mutex_);
  return cache_.size();
}

}  // namespace inkan::service
