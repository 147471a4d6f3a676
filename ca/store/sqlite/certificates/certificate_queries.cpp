// The certificate list page of the management site. Every filter is a plain comparison on an
// indexed column, so the page and its count stay on an index at 1,000,000 certificates
// (schemas/sql/0004_admin_site.sql and 0005_list_indexes.sql; checked by unit tests through
// EXPLAIN QUERY PLAN, measured by `inkan-bench store`).
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cctype>

#include "ca/store/sqlite/admin/admin_repositories.hpp"
#include "ca/store/sqlite/certificates/certificate_rows.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {


// "Status at :now", as CertificateRecord::status_at (and the certificate repository) define it.
const char* status_condition(CertStatus status) {
  switch (status) {
    case CertStatus::Revoked: return "state = 'revoked'";
    case CertStatus::Expired: return "state <> 'revoked' AND not_after <= :now";
    case CertStatus::Superseded: return "state = 'superseded' AND not_after > :now";
    case CertStatus::Active: return "state = 'active' AND not_after > :now";
  }
  return "0";
}

// A prefix match written as a range, so SQLite can walk an index (LIKE could not: it is
// case-insensitive for ASCII and our indexes are BINARY). 0xFF never occurs in UTF-8, so
// every string that starts with `prefix` sorts below prefix + "\xFF".
std::string upper_bound_of(const std::string& prefix) { return prefix + '\xFF'; }

bool is_hex(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

struct Where {
  std::string sql;
  bool uses_now = false;
  bool serial_search = false;
};

Where where_of(const CertificatePageQuery& q) {
  Where w;
  w.sql = "WHERE state <> 'reserved'";
  if (q.tenant_id) w.sql += " AND tenant_id = :tenant";
  if (q.status) {
    w.sql += std::string(" AND ") + status_condition(*q.status);
    w.uses_now = *q.status != CertStatus::Revoked;
  }
  if (q.kind) w.sql += " AND kind = :kind";
  if (q.expiring_before) {
    w.sql += " AND not_after <= :expiring AND not_after > :now";
    w.uses_now = true;
  }
  if (q.search && !q.search->empty()) {
    w.serial_search = is_hex(*q.search);
    w.sql += w.serial_search
                 ? " AND ((cn >= :cn_lo AND cn < :cn_hi) OR (serial >= :sn_lo AND serial < :sn_hi))"
                 : " AND cn >= :cn_lo AND cn < :cn_hi";
  }
  return w;
}

void bind_where(SQLite::Statement& st, const CertificatePageQuery& q, const Where& w) {
  if (q.tenant_id) st.bind(":tenant", *q.tenant_id);
  if (q.kind) st.bind(":kind", std::string(to_string(*q.kind)));
  if (q.expiring_before) bind_time(st, ":expiring", *q.expiring_before);
  if (w.uses_now) bind_time(st, ":now", q.now);
  if (q.search && !q.search->empty()) {
    st.bind(":cn_lo", *q.search);
    st.bind(":cn_hi", upper_bound_of(*q.search));
    if (w.serial_search) {
      st.bind(":sn_lo", upper(*q.search));
      st.bind(":sn_hi", upper_bound_of(upper(*q.search)));
    }
  }
}

std::string page_sql(const Where& w) {
  return kCertificateSummarySelect + w.sql + " ORDER BY not_after, serial LIMIT :limit OFFSET :offset";
}

}  // namespace

CertificatePage SqliteCertificateQueries::page(const CertificatePageQuery& q) const {
  return guarded("listing certificates", [&] {
    const Where w = where_of(q);
    CertificatePage out;
    SQLite::Statement rows(db_, page_sql(w));
    bind_where(rows, q, w);
    rows.bind(":limit", static_cast<int64_t>(q.limit));
    rows.bind(":offset", static_cast<int64_t>(q.offset));
    while (rows.executeStep()) out.rows.push_back(read_certificate(rows));

    // A capped count stops walking the index after count_limit + 1 matches.
    const std::string counted = q.count_limit ? "(SELECT 1 FROM certificates " + w.sql + " LIMIT :cap)"
                                              : "certificates " + w.sql;
    SQLite::Statement count(db_, "SELECT count(*) FROM " + counted);
    bind_where(count, q, w);
    if (q.count_limit) count.bind(":cap", static_cast<int64_t>(q.count_limit) + 1);
    count.executeStep();
    out.total = count.getColumn(0).getInt64();
    if (q.count_limit && out.total > static_cast<std::int64_t>(q.count_limit)) {
      out.total = static_cast<std::int64_t>(q.count_limit);
      out.total_capped = true;
    }
    return out;
  });
}

StatusCounts SqliteCertificateQueries::counts(const std::optional<std::string>& tenant_id,
                                              Timestamp now) const {
  return guarded("counting certificates", [&] {
    // The day buckets of certificate_counts (migration 0009) before and after today's, then
    // today's certificates exactly from the not_after index: a few thousand rows, not a million.
    const std::int64_t day = unix_seconds(now) / 86400;
    const std::string tenant = tenant_id ? " AND tenant_id = :tenant" : "";
    // Every tenant: the buckets without the tenant (migration 0012), a row per state and day.
    const std::string bucket_table = tenant_id ? "certificate_counts" : "certificate_day_counts";
    SQLite::Statement buckets(
        db_,
        "SELECT coalesce(sum(n * (state = 'active' AND expiry_day > :day)), 0),"
        " coalesce(sum(n * (state = 'superseded' AND expiry_day > :day)), 0),"
        " coalesce(sum(n * (state <> 'revoked' AND expiry_day < :day)), 0),"
        " coalesce(sum(n * (state = 'revoked')), 0)"
        " FROM " + bucket_table + " WHERE 1" + tenant);
    buckets.bind(":day", static_cast<int64_t>(day));
    if (tenant_id) buckets.bind(":tenant", *tenant_id);
    buckets.executeStep();
    StatusCounts out{buckets.getColumn(0).getInt64(), buckets.getColumn(1).getInt64(),
                     buckets.getColumn(2).getInt64(), buckets.getColumn(3).getInt64()};
    SQLite::Statement today(
        db_,
        "SELECT coalesce(sum(state = 'active' AND not_after > :now), 0),"
        " coalesce(sum(state = 'superseded' AND not_after > :now), 0),"
        " coalesce(sum(state IN ('active', 'superseded') AND not_after <= :now), 0)"
        " FROM certificates WHERE not_after >= :from AND not_after < :to" + tenant);
    bind_time(today, ":now", now);
    today.bind(":from", static_cast<int64_t>(day * 86400));
    today.bind(":to", static_cast<int64_t>((day + 1) * 86400));
    if (tenant_id) today.bind(":tenant", *tenant_id);
    today.executeStep();
    out.active += today.getColumn(0).getInt64();
    out.superseded += today.getColumn(1).getInt64();
    out.expired += today.getColumn(2).getInt64();
    return out;
  });
}

std::int64_t SqliteCertificateQueries::active_expiring(const std::optional<std::string>& tenant_id,
                                                      Timestamp now, std::chrono::days within) const {
  return guarded("counting expiring certificates", [&] {
    const std::int64_t from = unix_seconds(now), to = unix_seconds(now + within);
    const std::int64_t first_day = from / 86400, last_day = to / 86400;
    const std::string tenant = tenant_id ? " AND tenant_id = :tenant" : "";
    // Whole days strictly between the first and the last from the buckets...
    SQLite::Statement buckets(db_, std::string("SELECT coalesce(sum(n), 0) FROM ") +
                                       (tenant_id ? "certificate_counts" : "certificate_day_counts") +
                                       " WHERE state = 'active' AND expiry_day > :first AND expiry_day < :last" + tenant);
    buckets.bind(":first", static_cast<int64_t>(first_day));
    buckets.bind(":last", static_cast<int64_t>(last_day));
    if (tenant_id) buckets.bind(":tenant", *tenant_id);
    buckets.executeStep();
    std::int64_t n = buckets.getColumn(0).getInt64();
    // ...and the first and last days exactly, from the (state, not_after, serial) index.
    SQLite::Statement edge(db_, "SELECT count(*) FROM certificates WHERE state = 'active'"
                                " AND not_after > :lo AND not_after <= :hi" + tenant);
    auto count_range = [&](std::int64_t lo, std::int64_t hi) {
      edge.reset();
      edge.bind(":lo", static_cast<int64_t>(lo));
      edge.bind(":hi", static_cast<int64_t>(hi));
      if (tenant_id) edge.bind(":tenant", *tenant_id);
      edge.executeStep();
      return edge.getColumn(0).getInt64();
    };
    if (first_day == last_day) return n + count_range(from, to);
    n += count_range(from, (first_day + 1) * 86400 - 1);
    n += count_range(last_day * 86400 - 1, to);
    return n;
  });
}

std::vector<std::string> SqliteCertificateQueries::counted_tenants() const {
  return guarded("listing the counted tenants", [&] {
    std::vector<std::string> out;
    SQLite::Statement st(db_, "SELECT t.id FROM tenants t WHERE EXISTS (SELECT 1 FROM certificate_counts c"
                              " WHERE c.tenant_id = t.id AND c.n > 0) ORDER BY t.id");
    while (st.executeStep()) out.push_back(st.getColumn(0).getString());
    return out;
  });
}

std::vector<std::string> SqliteCertificateQueries::explain_page(
    const CertificatePageQuery& q) const {
  return guarded("explaining the certificate list query", [&] {
    const Where w = where_of(q);
    SQLite::Statement st(db_, "EXPLAIN QUERY PLAN " + page_sql(w));
    bind_where(st, q, w);
    st.bind(":limit", static_cast<int64_t>(q.limit));
    st.bind(":offset", static_cast<int64_t>(q.offset));
    std::vector<std::string> lines;
    while (st.executeStep()) lines.push_back(st.getColumn(3).getString());  // the detail column
    return lines;
  });
}

}  // namespace inkan::sqlite
