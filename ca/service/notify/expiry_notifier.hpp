#pragma once
// `inkan notify expiring`: one message per tenant administrator (with an e-mail address) per
// threshold, listing that tenant's certificates that crossed it and were not announced to that
// administrator at that threshold before. A certificate counts at the most urgent threshold it
// has reached (90, 30, 7 days by default, or "expired"); renewed (superseded) and revoked
// certificates are never announced again. A notice is recorded (expiry_notices, and one audit
// entry "notify.expiring" per certificate) only after the relay accepted the message, in one
// transaction: a relay that refuses or is down leaves nothing marked, so the next run sends.
#include <functional>
#include <string>
#include <vector>

#include "ca/domain/admin.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/notify/expiry_mail.hpp"
#include "ca/service/notify/mail_transport.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct NotifyPolicy {
  std::vector<int> threshold_days{90, 30, 7};  // any order; each 1..3650
  bool expired = true;                         // also announce certificates that expired
};

struct PlannedNotice {
  std::string username;
  std::int64_t user_id = 0;
  std::string tenant_id;
  std::string threshold;  // "90", "30", "7" or "expired"
  OutgoingMail mail;
  std::vector<Serial> serials;
};

struct NotifyPlan {
  std::vector<PlannedNotice> notices;
  // Tenant administrators (enabled) who would get mail but have no address: named so the
  // operator can set one (`inkan user set NAME --email ...`).
  std::vector<std::string> without_address;
};

struct NotifyResult {
  std::size_t messages = 0;
  std::size_t certificates = 0;  // (certificate, administrator) notices recorded
};

class ExpiryNotifier {
 public:
  ExpiryNotifier(Store& store, const Clock& clock, Actor actor) : store_(store), clock_(clock), actor_(std::move(actor)) {}

  // Error(InvalidArgument) for a threshold outside 1..3650 or none at all.
  NotifyPlan plan(const NotifyPolicy& policy) const;
  // Sends each notice in turn and records it once accepted. The first refusal stops the run and
  // is rethrown (what was accepted before it stays recorded); `progress` is called after each.
  NotifyResult send(const NotifyPlan& plan, MailTransport& transport,
                    const std::function<void(const PlannedNotice&)>& progress = {});

 private:
  Store& store_;
  const Clock& clock_;
  Actor actor_;
};

}  // namespace inkan::service
