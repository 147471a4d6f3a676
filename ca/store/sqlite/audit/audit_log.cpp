#include <SQLiteCpp/Statement.h>

#include <utility>

#include "ca/store/sqlite/audit/audit_chain.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"
#include "ca/store/sqlite/write_scope.hpp"

namespace inkan::sqlite {
namespace {

constexpr const char* kSelect =
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log ";

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

    auto st_lease = statements_.get("INSERT INTO audit_log (seq, at, actor, action, object, detail,"
                                    " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
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

AuditVerification SqliteAuditLog::verify() const {
  return guarded("verifying the audit log", [&]() -> AuditVerification {
    auto st_lease = statements_.get(std::string(kSelect) + "ORDER BY seq");
    auto& st = *st_lease;
    std::int64_t entries = 0;
    std::int64_t expected_seq = 1;
    std::string expected_prev = kGenesisHash;
    while (st.executeStep()) {
      const AuditEvent e = read_event(st);
      ++entries;
      if (e.seq != expected_seq)
        return broken(db_, e.seq,
                      "entry " + std::to_string(expected_seq) + " is missing before entry " +
                          std::to_string(e.seq));
      if (e.prev_hash != expected_prev)
        return broken(db_, e.seq,
                      "entry " + std::to_string(e.seq) + " does not link to the entry before");
      if (audit_hash(e) != e.hash)
        return broken(db_, e.seq,
                      "entry " + std::to_string(e.seq) + " was altered (hash mismatch)");
      expected_prev = e.hash;
      ++expected_seq;
    }
    AuditVerification ok;
    ok.entries = entries;
    return ok;
  });
}

}  // namespace inkan::sqlite
