#include "ca/service/notify/expiry_notifier.hpp"

#include <algorithm>
#include <map>

#include "ca/domain/error.hpp"
#include "ca/service/display_time_zone.hpp"
#include "ca/store/admin_repositories.hpp"

namespace inkan::service {
namespace {

// The most urgent threshold `not_after` has reached at `now`, or "" when none.
std::string threshold_of(Timestamp not_after, Timestamp now, const std::vector<int>& ascending, bool expired) {
  if (not_after <= now) return expired ? kExpiredThreshold : "";
  for (int days : ascending)
    if (not_after <= now + std::chrono::days(days)) return std::to_string(days);
  return "";
}

}  // namespace

NotifyPlan ExpiryNotifier::plan(const NotifyPolicy& policy) const {
  std::vector<int> ascending = policy.threshold_days;
  if (ascending.empty() && !policy.expired) throw Error(ErrorCode::InvalidArgument, "no threshold to announce");
  for (int d : ascending)
    if (d < 1 || d > 3650)
      throw Error(ErrorCode::InvalidArgument, "threshold " + std::to_string(d) + " is not 1-3650 days");
  std::sort(ascending.begin(), ascending.end());
  ascending.erase(std::unique(ascending.begin(), ascending.end()), ascending.end());

  const auto now = clock_.now();
  const TimeZone zone = display_time_zone(store_);  // the mail's times, like the screens'
  const auto horizon = now + std::chrono::days(ascending.empty() ? 0 : ascending.back());
  NotifyPlan out;
  // Tenant by tenant (the candidates come sorted by tenant), so no administrator ever sees
  // another tenant's certificates.
  const auto candidates = store_.expiry_notices().due(horizon);
  for (auto begin = candidates.begin(); begin != candidates.end();) {
    const std::string tenant_id = begin->tenant_id;
    auto end = std::find_if(begin, candidates.end(), [&](const auto& c) { return c.tenant_id != tenant_id; });
    const auto tenant = store_.tenants().find(tenant_id);
    const std::string tenant_name = tenant ? tenant->name : tenant_id;
    for (const auto& admin : store_.admin_users().list(tenant_id)) {
      if (admin.disabled || admin.is_operator()) continue;
      // Per threshold, this administrator's certificates not announced to them at it yet.
      std::map<std::string, std::vector<const ExpiryCandidate*>> by_threshold;
      for (auto it = begin; it != end; ++it) {
        const auto t = threshold_of(it->not_after, now, ascending, policy.expired);
        if (!t.empty() && !store_.expiry_notices().sent(it->serial, t, admin.id)) by_threshold[t].push_back(&*it);
      }
      if (by_threshold.empty()) continue;
      if (!admin.email || admin.email->empty()) {
        out.without_address.push_back(admin.username);
        continue;
      }
      for (const auto& [threshold, certs] : by_threshold) {
        std::vector<ExpiryMailLine> lines;
        PlannedNotice n{admin.username, admin.id, tenant_id, threshold, {}, {}};
        for (const auto* c : certs) {
          lines.push_back({c->common_name, c->serial, c->kind, c->not_after, days_between(now, c->not_after)});
          n.serials.push_back(c->serial);
        }
        auto text = compose_expiry_mail(admin.language, tenant_name, threshold, lines, zone);
        n.mail = OutgoingMail{*admin.email, std::move(text.subject), std::move(text.body)};
        out.notices.push_back(std::move(n));
      }
    }
    begin = end;
  }
  return out;
}

NotifyResult ExpiryNotifier::send(const NotifyPlan& plan, MailTransport& transport,
                                  const std::function<void(const PlannedNotice&)>& progress) {
  NotifyResult r;
  for (const auto& n : plan.notices) {
    transport.send(n.mail);  // throws with the relay's answer: this notice stays unrecorded
    auto tx = store_.begin();
    const auto now = clock_.now();
    for (const auto& serial : n.serials) {
      store_.expiry_notices().record(serial, n.threshold, n.user_id, now);
      record(store_, clock_, actor_, "notify.expiring", "cert:" + serial.hex(),
             "threshold=" + n.threshold + " to=" + n.username);
    }
    tx->commit();
    ++r.messages;
    r.certificates += n.serials.size();
    if (progress) progress(n);
  }
  return r;
}

}  // namespace inkan::service
