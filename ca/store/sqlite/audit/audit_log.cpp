#include <SQLiteCpp/Statement.h>

#include <utility>

#include "ca/store/audit_chain.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"
#include "ca/store/sqlite/write_scope.hpp"

namespace inkan::sqlite {
namespace {

constexpr const char* kSelect =
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash, tenant_id FROM audit_log ";

// The tenant of an entry's object, as SQL over the column `object` (or a bound parameter in its
// place): the same derivation as migration 0007's backfill. A certificate whose reservation was
// later cleared derives NULL, so verify() only compares where this is not NULL.
std::string tenant_of(const std::string& object) {
  return "CASE"
         " WHEN " + object + " LIKE 'cert:%' THEN (SELECT tenant_id FROM certificates WHERE serial = substr(" + object + ", 6))"
         " WHEN " + object + " LIKE 'tenant:%' THEN substr(" + object + ", 8)"
         " WHEN " + object + " LIKE 'admin:%' THEN (SELECT tenant_id FROM admin_users WHERE username = substr(" + object + ", 7))"
         " END";
}

AuditEvent read_event(const SQLite::Statement& st) {
  AuditEvent e;
  e.seq = st.getColumn(0).getInt64();
  e.at = read_time(st.getColumn(1));
  e.actor = st.getColumn(2).getString();
  e.action = st.getColumn(3).getString();
  e.object = st.getColumn(4).getString();
  e.detail = st.getColumn(5).getString();
  e.prev_hash = st.getColumn(6).getString();
  e.hash = st.getColumn(7).getString();
  if (!st.getColumn(8).isNull()) e.tenant_id = st.getColumn(8).getString();
  return e;
}

AuditVerification broken(SQLite::Database& db, std::int64_t seq, std::string problem) {
  AuditVerification v;
  v.ok = false;
  v.entries = db.execAndGet("SELECT count(*) FROM audit_log").getInt64();
  v.first_bad_seq = seq;
  v.problem = std::move(problem);
  return v;
}

}  // namespace

void SqliteAuditLog::append(AuditEvent event) {
  guarded("appending to the audit log", [&] {
    // The chain head is read and extended under the write lock, so two writers cannot fork it.
    WriteScope scope(db_);
    auto head_lease = statements_.get("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    auto& head = *head_lease;
    if (head.executeStep()) {
      event.seq = head.getColumn(0).getInt64() + 1;
      event.prev_hash = head.getColumn(1).getString();
    } else {
      event.seq = 1;
      event.prev_hash = kGenesisHash;
    }
    event.hash = audit_hash(event);

    static const std::string insert =
        "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash, tenant_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " + tenant_of("?5") + ")";
    auto st_lease = statements_.get(insert);
    auto& st = *st_lease;
    st.bind(1, static_cast<int64_t>(event.seq));
    st.bind(2, static_cast<int64_t>(unix_seconds(event.at)));
    st.bind(3, event.actor);
    st.bind(4, event.action);
    st.bind(5, event.object);
    st.bind(6, event.detail);
    st.bind(7, event.prev_hash);
    st.bind(8, event.hash);
    st.exec();
    scope.commit();
  });
}

std::vector<AuditEvent> SqliteAuditLog::list(std::size_t limit, std::size_t offset) const {
  return guarded("reading the audit log", [&] {
    auto st_lease = statements_.get(std::string(kSelect) + "ORDER BY seq DESC LIMIT ? OFFSET ?");
    auto& st = *st_lease;
    st.bind(1, limit == 0 ? int64_t{-1} : static_cast<int64_t>(limit));  // 0 = everything
    st.bind(2, static_cast<int64_t>(offset));
    std::vector<AuditEvent> out;
    while (st.executeStep()) out.push_back(read_event(st));
    return out;
  });
}

std::vector<AuditEvent> SqliteAuditLog::query(const AuditQuery& q) const {
  return guarded("reading the audit log", [&] {
    // Only the filters that are set appear in the SQL, so each combination is one cached
    // statement and SQLite can pick the index of the most selective column.
    std::string sql = kSelect;
    const char* glue = "WHERE ";
    auto where = [&](const char* condition) {
      sql += glue;
      sql += condition;
      glue = " AND ";
    };
    // Without statistics SQLite may pick the index of the least selective column (measured:
    // serial + action read the action index, 674 ms at a million entries). Only the most
    // selective column given may use its index, in this order: one object (tens of entries), one
    // actor, one tenant, one action; a unary + keeps the others out of the plan.
    bool indexed = false;
    auto equal = [&](const char* column, const char* param) {
      where((std::string(indexed ? "+" : "") + column + " = " + param).c_str());
      indexed = true;
    };
    if (q.since) where("at >= :since");
    if (q.until) where("at < :until");
    if (q.object) equal("object", ":object");
    if (q.actor) equal("actor", ":actor");
    if (q.tenant_id) equal("tenant_id", ":tenant");
    if (q.action) equal("action", ":action");
    if (q.before_seq) where("(at, seq) < ((SELECT at FROM audit_log WHERE seq = :before), :before)");
    sql += " ORDER BY at DESC, seq DESC LIMIT :limit";
    auto st_lease = statements_.get(sql);
    auto& st = *st_lease;
    if (q.since) bind_time(st, ":since", *q.since);
    if (q.until) bind_time(st, ":until", *q.until);
    if (q.tenant_id) st.bind(":tenant", *q.tenant_id);
    if (q.object) st.bind(":object", *q.object);
    if (q.actor) st.bind(":actor", *q.actor);
    if (q.action) st.bind(":action", *q.action);
    if (q.before_seq) st.bind(":before", static_cast<int64_t>(*q.before_seq));
    st.bind(":limit", q.limit == 0 ? int64_t{-1} : static_cast<int64_t>(q.limit));
    std::vector<AuditEvent> out;
    while (st.executeStep()) out.push_back(read_event(st));
    return out;
  });
}

std::optional<AuditEvent> SqliteAuditLog::entry(std::int64_t seq) const {
  return guarded("reading the audit log", [&]() -> std::optional<AuditEvent> {
    auto st_lease = statements_.get(std::string(kSelect) + "WHERE seq = ?");
    auto& st = *st_lease;
    st.bind(1, static_cast<int64_t>(seq));
    if (!st.executeStep()) return std::nullopt;
    return read_event(st);
  });
}

std::optional<AuditEvent> SqliteAuditLog::head() const {
  return guarded("reading the audit log", [&]() -> std::optional<AuditEvent> {
    auto st_lease = statements_.get(std::string(kSelect) + "ORDER BY seq DESC LIMIT 1");
    auto& st = *st_lease;
    if (!st.executeStep()) return std::nullopt;
    return read_event(st);
  });
}

AuditVerification SqliteAuditLog::verify() const {
  return guarded("verifying the audit log", [&]() -> AuditVerification {
    auto st_lease = statements_.get(std::string(kSelect) + "ORDER BY seq");
    auto& st = *st_lease;
    AuditChainWalk walk;
    while (st.executeStep())
      if (auto bad = walk.next(read_event(st))) return broken(db_, bad->seq, bad->problem);
    // The tenant index is not chained; it must still be what the chained object says.
    auto idx_lease = statements_.get("SELECT seq FROM audit_log WHERE " + tenant_of("object") +
                                     " IS NOT tenant_id AND " + tenant_of("object") +
                                     " IS NOT NULL ORDER BY seq LIMIT 1");
    auto& idx = *idx_lease;
    if (idx.executeStep()) {
      const auto seq = idx.getColumn(0).getInt64();
      return broken(db_, seq, "entry " + std::to_string(seq) + "'s tenant does not match its object");
    }
    AuditVerification ok;
    ok.entries = walk.entries();
    return ok;
  });
}

}  // namespace inkan::sqlite
