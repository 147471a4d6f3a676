// The audit log on PostgreSQL: one hash chain for all nodes. append() reads the head and inserts
// the next entry under the writer lock (a transaction-scoped advisory lock, transaction.hpp), so
// two nodes cannot fork the chain; the chain's definition is shared with SQLite
// (ca/store/audit_chain). One chain rather than one per node (EJBCA's choice): every write
// already holds the writer lock, so the chain costs no extra waiting, and `doctor` and
// `inkan audit` keep one order of events for the whole installation.
#include "ca/store/audit_chain.hpp"
#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/repositories.hpp"
#include "ca/store/postgresql/transaction.hpp"

namespace inkan::pg {
namespace {

constexpr const char* kSelect =
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash, tenant_id FROM audit_log ";
// verify() reads the log in pages of this many entries (a million entries never sit in memory).
constexpr int kVerifyPage = 5000;

// The tenant of an entry's object, as SQL over `object` (a column or a parameter): the same
// derivation as the SQLite store's (schemas/sql/0008).
std::string tenant_of(const std::string& object) {
  return "CASE"
         " WHEN " + object + " LIKE 'cert:%' THEN (SELECT tenant_id FROM certificates WHERE serial = substr(" + object + ", 6))"
         " WHEN " + object + " LIKE 'tenant:%' THEN substr(" + object + ", 8)"
         " WHEN " + object + " LIKE 'admin:%' THEN (SELECT tenant_id FROM admin_users WHERE username = substr(" + object + ", 7))"
         " END";
}

AuditEvent read_event(const Result& r, int row) {
  AuditEvent e;
  e.seq = r.integer(row, 0);
  e.at = r.time(row, 1);
  e.actor = r.text(row, 2);
  e.action = r.text(row, 3);
  e.object = r.text(row, 4);
  e.detail = r.text(row, 5);
  e.prev_hash = r.text(row, 6);
  e.hash = r.text(row, 7);
  e.tenant_id = r.optional_text(row, 8);
  return e;
}

std::vector<AuditEvent> read_events(const Result& r) {
  std::vector<AuditEvent> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_event(r, i));
  return out;
}

// LIMIT's parameter: NULL is "no limit" (0 means everything in the interface).
std::optional<std::int64_t> limit_of(std::size_t limit) {
  if (limit == 0) return std::nullopt;
  return static_cast<std::int64_t>(limit);
}

}  // namespace

void PgAuditLog::append(AuditEvent event) {
  guarded("appending to the audit log", [&] {
    WriteScope scope(db_);
    const Result head = db_.exec("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    event.seq = head.empty() ? 1 : head.integer(0, 0) + 1;
    event.prev_hash = head.empty() ? kGenesisHash : head.text(0, 1);
    event.hash = audit_hash(event);
    static const std::string insert =
        "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash, tenant_id)"
        " VALUES ($1, $2, $3, $4, $5::text, $6, $7, $8, " + tenant_of("$5::text") + ")";
    db_.exec(insert, Params()
                         .integer(event.seq)
                         .time(event.at)
                         .text(event.actor)
                         .text(event.action)
                         .text(event.object)
                         .text(event.detail)
                         .text(event.prev_hash)
                         .text(event.hash));
    scope.commit();
  });
}

std::vector<AuditEvent> PgAuditLog::list(std::size_t limit, std::size_t offset) const {
  return guarded("reading the audit log", [&] {
    return read_events(db_.exec(std::string(kSelect) + "ORDER BY seq DESC LIMIT $1 OFFSET $2",
                                Params().integer(limit_of(limit)).integer(static_cast<std::int64_t>(offset))));
  });
}

std::vector<AuditEvent> PgAuditLog::query(const AuditQuery& q) const {
  return guarded("reading the audit log", [&] {
    // Only the filters that are set appear in the SQL; PostgreSQL's planner has statistics, so
    // unlike SQLite it needs no hint about which index to use.
    std::string sql = kSelect;
    Params params;
    const char* glue = "WHERE ";
    auto where = [&](const std::string& condition) {
      sql += glue + condition;
      glue = " AND ";
    };
    auto next = [&] { return "$" + std::to_string(params.size()); };
    if (q.since) {
      params.time(*q.since);
      where("at >= " + next());
    }
    if (q.until) {
      params.time(*q.until);
      where("at < " + next());
    }
    if (q.object) {
      params.text(*q.object);
      where("object = " + next());
    }
    if (q.actor) {
      params.text(*q.actor);
      where("actor = " + next());
    }
    if (q.tenant_id) {
      params.text(*q.tenant_id);
      where("tenant_id = " + next());
    }
    if (q.action) {
      params.text(*q.action);
      where("action = " + next());
    }
    if (q.before_seq) {
      params.integer(*q.before_seq);
      where("(at, seq) < ((SELECT at FROM audit_log WHERE seq = " + next() + "), " + next() + ")");
    }
    params.integer(limit_of(q.limit));
    sql += " ORDER BY at DESC, seq DESC LIMIT " + next();
    return read_events(db_.exec(sql, params));
  });
}

std::optional<AuditEvent> PgAuditLog::entry(std::int64_t seq) const {
  return guarded("reading the audit log", [&]() -> std::optional<AuditEvent> {
    const Result r = db_.exec(std::string(kSelect) + "WHERE seq = $1", Params().integer(seq));
    if (r.empty()) return std::nullopt;
    return read_event(r, 0);
  });
}

std::optional<AuditEvent> PgAuditLog::head() const {
  return guarded("reading the audit log", [&]() -> std::optional<AuditEvent> {
    const Result r = db_.exec(std::string(kSelect) + "ORDER BY seq DESC LIMIT 1");
    if (r.empty()) return std::nullopt;
    return read_event(r, 0);
  });
}

AuditVerification PgAuditLog::broken(std::int64_t seq, std::string problem) const {
  AuditVerification v;
  v.ok = false;
  v.entries = db_.exec("SELECT count(*) FROM audit_log").integer(0, 0);
  v.first_bad_seq = seq;
  v.problem = std::move(problem);
  return v;
}

AuditVerification PgAuditLog::verify() const {
  return guarded("verifying the audit log", [&]() -> AuditVerification {
    AuditChainWalk walk;
    std::int64_t after = 0;
    for (;;) {
      // Keyset pages by seq; a missing seq is still seen, as the walk expects seq + 1.
      const Result page = db_.exec(std::string(kSelect) + "WHERE seq > $1 ORDER BY seq LIMIT $2",
                                   Params().integer(after).integer(kVerifyPage));
      for (int i = 0; i < page.rows(); ++i)
        if (auto bad = walk.next(read_event(page, i))) return broken(bad->seq, bad->problem);
      if (page.rows() < kVerifyPage) break;
      after = page.integer(page.rows() - 1, 0);
    }
    // The tenant index is not chained; it must still be what the chained object says.
    const Result idx = db_.exec("SELECT seq FROM audit_log WHERE " + tenant_of("object") +
                                " IS DISTINCT FROM tenant_id AND " + tenant_of("object") +
                                " IS NOT NULL ORDER BY seq LIMIT 1");
    if (!idx.empty()) {
      const auto seq = idx.integer(0, 0);
      return broken(seq, "entry " + std::to_string(seq) + "'s tenant does not match its object");
    }
    AuditVerification ok;
    ok.entries = walk.entries();
    return ok;
  });
}

}  // namespace inkan::pg
