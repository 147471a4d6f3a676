#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/monitoring/operation_events.hpp"

#include <thread>

#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/policy/renewal_window.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/settings_keys.hpp"

namespace inkan::service {
namespace {

CertificateRecord require_issued(Store& store, const Serial& serial) {
  auto rec = store.certificates().find(serial);
  if (!rec || rec->state == CertState::Reserved)
    throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex());
  return *rec;
}

// A monotonic clock for waiting: the injected Clock is the domain's "now", not a stopwatch.
using Stopwatch = std::chrono::steady_clock;

// A reservation this old has no signer behind it: signing and committing take milliseconds, and a
// concurrent request waits at most wait_for_concurrent (30 s). It was left by a process killed
// mid-issuance, or one whose clean-up failed too (a full disk). Without this, the certificate
// could never be renewed again (409 "try again" forever) until `inkan doctor --clear-reservations`.
constexpr std::chrono::minutes kAbandonedReservation{10};

}  // namespace

int Renewer::window_days(const std::string& tenant_id) {
  if (auto t = store_.tenants().find(tenant_id); t && t->renewal_window_days) return *t->renewal_window_days;
  if (auto v = store_.settings().get(settings_keys::kRenewalWindowDays)) return std::stoi(*v);
  return policy::kDefaultRenewalWindowDays;
}

RenewalResult Renewer::existing_successor(const Serial& successor) {
  RenewalResult out;
  out.already_renewed = true;
  out.credential.record = require_issued(store_, successor);
  const auto& rec = out.credential.record;
  out.credential.file_stem = policy::credential_file_stem(rec.tenant_id, rec.cn, rec.serial);
  if (rec.has_credential) {
    Credentials creds(store_, keyring_, clock_, rng_, actor_);
    out.credential.p12 = creds.p12(successor);
    out.credential.profile = store_.certificates().credential(successor)->profile;
    out.credential.password = creds.reveal_password(successor);  // audited: it is handed out again
  }
  return out;
}

RenewalResult Renewer::renew(const Serial& serial, const RenewOptions& o) {
  return observed(Operation::Renewal, [&] { return succeed(serial, Mode::Renew, o.force, false, o.p12_profile); });
}

RenewalResult Renewer::reissue(const Serial& serial, const ReissueOptions& o) {
  return observed(Operation::Reissue,
                  [&] { return succeed(serial, Mode::Reissue, true, o.allow_revoked, o.p12_profile); });
}

RenewalResult Renewer::succeed(const Serial& serial, Mode mode, bool force, bool allow_revoked,
                               std::optional<P12Profile> profile) {
  const auto deadline = Stopwatch::now() + wait_for_concurrent;
  for (;;) {
    auto old = require_issued(store_, serial);
    if (old.successor) return existing_successor(*old.successor);

    // A reservation naming this predecessor: another request is signing the successor now.
    if (auto pending = store_.certificates().find_successor_of(serial);
        pending && pending->state == CertState::Reserved) {
      if (clock_.now() - pending->requested_at > kAbandonedReservation) {
        // Taken over: dropped (audited like doctor's clean-up), then this request signs. Should
        // the original signer still be alive after all, its commit finds no reservation and fails.
        auto tx = store_.begin();
        store_.certificates().drop_reservation(pending->serial);
        record(store_, clock_, actor_, "reservation.clear", "cert:" + pending->serial.hex(),
               "abandoned reservation of a successor of " + serial.hex() + ", reserved at " +
                   format_rfc3339(pending->requested_at));
        tx->commit();
        continue;
      }
      if (Stopwatch::now() > deadline)
        throw Error(ErrorCode::Conflict, "a renewal of " + serial.hex() + " is still in progress; try again");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }

    const auto now = clock_.now();
    auto a = policy::assess_renewal(old, now, window_days(old.tenant_id));
    switch (a.verdict) {
      case policy::RenewalVerdict::Renewable:
      case policy::RenewalVerdict::AlreadyRenewed:
      case policy::RenewalVerdict::NotIssued:
        break;
      case policy::RenewalVerdict::TooEarly:
        if (!force)
          throw Error(ErrorCode::PolicyViolation,
                      "certificate " + serial.hex() + " expires on " + format_date(old.not_after) + " (" +
                          std::to_string(a.days_left) + " days left): renewal opens on " +
                          format_date(a.window_opens) + "; an operator may override with --force");
        break;
      case policy::RenewalVerdict::Expired:
        if (mode == Mode::Renew)
          throw Error(ErrorCode::InvalidState,
                      "certificate " + serial.hex() + " expired on " + format_date(old.not_after) +
                          ": it cannot renew itself; an administrator must reissue it (inkan reissue)");
        break;
      case policy::RenewalVerdict::Revoked:
        if (mode == Mode::Renew || !allow_revoked)
          throw Error(ErrorCode::InvalidState,
                      "certificate " + serial.hex() + " is revoked" +
                          (mode == Mode::Reissue ? ": pass --allow-revoked to reissue it anyway" : ": it cannot be renewed"));
        break;
    }

    IssueRequest req;
    req.tenant_id = old.tenant_id;
    req.common_name = old.cn;
    req.kind = old.kind;
    req.key_type = old.key_type;
    req.email = old.email;
    req.p12_profile = profile.value_or(store_.certificates().credential(serial).value_or(Credential{}).profile);
    req.predecessor = serial;
    req.allow_revoked_predecessor = allow_revoked;
    req.reason = mode == Mode::Renew ? IssueReason::Renewal : IssueReason::Reissue;
    try {
      RenewalResult out;
      out.credential = issuer_.issue(req);
      return out;
    } catch (const Error& e) {
      // Lost a race: the unique predecessor index refused our reservation, or the winner linked
      // first. Loop: the next pass returns the winner's successor (or reports the new state).
      if (e.code() != ErrorCode::AlreadyExists && e.code() != ErrorCode::Conflict) throw;
      if (Stopwatch::now() > deadline) throw;
    }
  }
}

}  // namespace inkan::service
