#include "ca/service/admin/admin_queries.hpp"

#include "ca/domain/error.hpp"

namespace inkan::service {

Dashboard AdminQueries::dashboard(const std::optional<std::string>& tenant_id, int within_days,
                                  std::size_t limit) {
  if (within_days < 0 || within_days > 3650)
    throw Error(ErrorCode::InvalidArgument, "expiring within: 0 to 3650 days");
  const auto tenant = scope_.narrow(store_, tenant_id);
  const Timestamp now = clock_.now();
  Dashboard d;
  d.within_days = within_days;
  d.counts = store_.certificate_queries().counts(tenant, now);
  CertificatePageQuery q;
  q.tenant_id = tenant;
  q.status = CertStatus::Active;
  q.expiring_before = now + std::chrono::days(within_days);
  q.now = now;
  q.limit = limit;
  auto page = store_.certificate_queries().page(q);
  d.expiring_soon = std::move(page.rows);
  d.expiring_total = page.total;
  return d;
}

CertificateListPage AdminQueries::certificates(const CertificateListRequest& r) {
  if (r.page < 1 || r.page > 1'000'000) throw Error(ErrorCode::InvalidArgument, "page: must be 1 or more");
  if (r.page_size < 1 || r.page_size > 200) throw Error(ErrorCode::InvalidArgument, "page size: 1 to 200");
  if (r.expiring_within_days && (*r.expiring_within_days < 0 || *r.expiring_within_days > 3650))
    throw Error(ErrorCode::InvalidArgument, "expiring within: 0 to 3650 days");
  if (r.search && r.search->size() > 64) throw Error(ErrorCode::InvalidArgument, "search: at most 64 characters");
  CertificatePageQuery q;
  q.tenant_id = scope_.narrow(store_, r.tenant_id);
  q.status = r.status;
  q.kind = r.kind;
  q.now = clock_.now();
  if (r.expiring_within_days) {
    q.expiring_before = q.now + std::chrono::days(*r.expiring_within_days);
    // "Expiring soon" means needing action: revoked and already renewed ones do not, unless a
    // status is asked for explicitly.
    if (!q.status) q.status = CertStatus::Active;
  }
  if (r.search && !r.search->empty()) q.search = r.search;
  q.limit = r.page_size;
  q.offset = (r.page - 1) * r.page_size;
  q.count_limit = kCertificateListCountLimit;
  auto page = store_.certificate_queries().page(q);
  return CertificateListPage{std::move(page.rows), page.total, r.page, r.page_size, page.total_capped};
}

CertificateDetail AdminQueries::certificate(const Serial& serial) {
  CertificateDetail d{scope_.certificate(store_, serial), std::nullopt, std::nullopt};
  auto in_scope = [&](const std::optional<Serial>& s) -> std::optional<Serial> {
    if (!s) return std::nullopt;
    try {
      return scope_.certificate(store_, *s).serial;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::NotFound) return std::nullopt;  // a reservation in flight
      throw;
    }
  };
  d.predecessor = in_scope(d.record.predecessor);
  d.successor = in_scope(d.record.successor);
  return d;
}

std::vector<Tenant> AdminQueries::tenants() {
  if (scope_.sees_every_tenant()) return store_.tenants().list();
  return {scope_.tenant(store_, *scope_.tenant_filter())};
}

Tenant AdminQueries::tenant(const std::string& tenant_id) { return scope_.tenant(store_, tenant_id); }

LoginHistoryPage AdminQueries::login_history(const std::optional<std::string>& tenant_id, std::size_t limit,
                                             std::size_t offset) {
  if (limit < 1 || limit > 1000) throw Error(ErrorCode::InvalidArgument, "limit: 1 to 1000");
  LoginHistoryFilter f;
  f.tenant_id = scope_.narrow(store_, tenant_id);
  f.limit = limit;
  f.offset = offset;
  LoginHistoryPage p;
  p.rows = store_.logins().history(f);
  p.total = store_.logins().count(f.tenant_id);
  return p;
}

}  // namespace inkan::service
