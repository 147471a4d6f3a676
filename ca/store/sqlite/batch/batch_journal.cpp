// The batch journal's SQL (schemas/sql/0003_batch_journal.sql).
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include "ca/store/sqlite/batch/batch_repositories.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/sql_errors.hpp"
#include "ca/store/sqlite/write_scope.hpp"

namespace inkan::sqlite {
namespace {

constexpr const char* kJobColumns =
    "SELECT id, job_key, command, arguments, out_dir, state, created_at, completed_at, total FROM batch_jobs ";
constexpr const char* kItemColumns =
    "SELECT job_id, seq, tenant_id, cn, kind, email, old_serial, new_serial, state, note, key_type, p12_profile"
    " FROM batch_items ";

BatchJob read_job(const SQLite::Statement& st) {
  BatchJob j;
  j.id = st.getColumn(0).getInt64();
  j.job_key = st.getColumn(1).getString();
  j.command = read_enum<BatchCommand>(st.getColumn(2), parse_batch_command, "batch command");
  j.arguments = st.getColumn(3).getString();
  j.out_dir = st.getColumn(4).getString();
  j.state = read_enum<BatchJobState>(st.getColumn(5), parse_batch_job_state, "batch job state");
  j.created_at = read_time(st.getColumn(6));
  j.completed_at = read_optional_time(st.getColumn(7));
  j.total = st.getColumn(8).getInt64();
  return j;
}

BatchItem read_item(const SQLite::Statement& st) {
  BatchItem i;
  i.job_id = st.getColumn(0).getInt64();
  i.seq = st.getColumn(1).getInt64();
  i.tenant_id = st.getColumn(2).getString();
  i.cn = st.getColumn(3).getString();
  i.kind = read_enum<CertKind>(st.getColumn(4), parse_cert_kind, "certificate kind");
  i.email = read_optional_text(st.getColumn(5));
  i.old_serial = read_optional_serial(st.getColumn(6));
  i.new_serial = read_optional_serial(st.getColumn(7));
  i.state = read_enum<BatchItemState>(st.getColumn(8), parse_batch_item_state, "batch item state");
  i.note = st.getColumn(9).getString();
  i.key_type = read_enum<KeyType>(st.getColumn(10), parse_key_type, "key type");
  i.p12_profile = read_enum<P12Profile>(st.getColumn(11), parse_p12_profile, "PKCS#12 profile");
  return i;
}

std::string item_label(std::int64_t job_id, std::int64_t seq) {
  return "batch job " + std::to_string(job_id) + " item " + std::to_string(seq);
}

}  // namespace

std::optional<BatchJob> SqliteBatchJournal::find_job(const std::string& job_key) const {
  return guarded("reading a batch job", [&]() -> std::optional<BatchJob> {
    auto lease = statements_.get(std::string(kJobColumns) + "WHERE job_key = ?");
    auto& st = *lease;
    st.bind(1, job_key);
    if (!st.executeStep()) return std::nullopt;
    return read_job(st);
  });
}

std::optional<BatchJob> SqliteBatchJournal::job(std::int64_t id) const {
  return guarded("reading a batch job", [&]() -> std::optional<BatchJob> {
    auto lease = statements_.get(std::string(kJobColumns) + "WHERE id = ?");
    auto& st = *lease;
    st.bind(1, static_cast<int64_t>(id));
    if (!st.executeStep()) return std::nullopt;
    return read_job(st);
  });
}

std::int64_t SqliteBatchJournal::create_job(const BatchJob& job, const std::vector<BatchItem>& items) {
  try {
    WriteScope scope(db_);
    SQLite::Statement st(db_,
                         "INSERT INTO batch_jobs (job_key, command, arguments, out_dir, state, created_at, total)"
                         " VALUES (:key, :command, :arguments, :out, 'running', :created, :total)");
    st.bind(":key", job.job_key);
    st.bind(":command", std::string(to_string(job.command)));
    st.bind(":arguments", job.arguments);
    st.bind(":out", job.out_dir);
    bind_time(st, ":created", job.created_at);
    st.bind(":total", static_cast<int64_t>(items.size()));
    st.exec();
    const std::int64_t id = db_.getLastInsertRowid();
    SQLite::Statement ins(db_,
                          "INSERT INTO batch_items (job_id, seq, tenant_id, cn, kind, email, key_type, p12_profile,"
                          " old_serial, state)"
                          " VALUES (:job, :seq, :tenant, :cn, :kind, :email, :key, :profile, :old, 'pending')");
    for (const auto& i : items) {
      ins.bind(":job", static_cast<int64_t>(id));
      ins.bind(":seq", static_cast<int64_t>(i.seq));
      ins.bind(":tenant", i.tenant_id);
      ins.bind(":cn", i.cn);
      ins.bind(":kind", std::string(to_string(i.kind)));
      bind_text(ins, ":email", i.email);
      ins.bind(":key", std::string(to_string(i.key_type)));
      ins.bind(":profile", std::string(to_string(i.p12_profile)));
      bind_serial(ins, ":old", i.old_serial);
      ins.exec();
      ins.reset();
    }
    scope.commit();
    return id;
  } catch (const SQLite::Exception& e) {
    if (violates_unique(e, "batch_jobs.job_key"))
      throw Error(ErrorCode::AlreadyExists, "a batch job with these arguments already exists");
    throw store_error(e, "recording a batch job");
  }
}

std::vector<BatchItem> SqliteBatchJournal::items(std::int64_t job_id, std::optional<BatchItemState> state,
                                                 std::int64_t after_seq, std::size_t limit) const {
  return guarded("reading batch items", [&] {
    std::string sql = std::string(kItemColumns) + "WHERE job_id = :job AND seq > :after";
    if (state) sql += " AND state = :state";
    sql += " ORDER BY seq LIMIT :limit";
    auto lease = statements_.get(sql);
    auto& st = *lease;
    st.bind(":job", static_cast<int64_t>(job_id));
    st.bind(":after", static_cast<int64_t>(after_seq));
    if (state) st.bind(":state", std::string(to_string(*state)));
    st.bind(":limit", limit == 0 ? int64_t{-1} : static_cast<int64_t>(limit));
    std::vector<BatchItem> out;
    while (st.executeStep()) out.push_back(read_item(st));
    return out;
  });
}

BatchCounts SqliteBatchJournal::counts(std::int64_t job_id) const {
  return guarded("counting batch items", [&] {
    auto lease = statements_.get("SELECT state, count(*) FROM batch_items WHERE job_id = ? GROUP BY state");
    auto& st = *lease;
    st.bind(1, static_cast<int64_t>(job_id));
    BatchCounts c;
    while (st.executeStep()) {
      const auto n = st.getColumn(1).getInt64();
      switch (read_enum<BatchItemState>(st.getColumn(0), parse_batch_item_state, "batch item state")) {
        case BatchItemState::Pending: c.pending = n; break;
        case BatchItemState::Reserved: c.reserved = n; break;
        case BatchItemState::Committed: c.committed = n; break;
        case BatchItemState::Skipped: c.skipped = n; break;
      }
    }
    return c;
  });
}

void SqliteBatchJournal::transition(std::int64_t job_id, std::int64_t seq, const char* sql,
                                    const std::function<void(SQLite::Statement&)>& bind, std::string_view expected) {
  const int changed = guarded("updating " + item_label(job_id, seq), [&] {
    auto lease = statements_.get(sql);
    auto& st = *lease;
    st.bind(":job", static_cast<int64_t>(job_id));
    st.bind(":seq", static_cast<int64_t>(seq));
    if (bind) bind(st);
    return st.exec();
  });
  if (changed != 1)
    throw Error(ErrorCode::InvalidState, item_label(job_id, seq) + " is not " + std::string(expected));
}

void SqliteBatchJournal::mark_reserved(std::int64_t job_id, std::int64_t seq, const Serial& new_serial) {
  transition(job_id, seq,
             "UPDATE batch_items SET state = 'reserved', new_serial = :serial"
             " WHERE job_id = :job AND seq = :seq AND state = 'pending'",
             [&](SQLite::Statement& st) { st.bind(":serial", new_serial.hex()); }, "pending");
}

void SqliteBatchJournal::mark_committed(std::int64_t job_id, std::int64_t seq) {
  transition(job_id, seq,
             "UPDATE batch_items SET state = 'committed' WHERE job_id = :job AND seq = :seq AND state = 'reserved'",
             nullptr, "reserved");
}

void SqliteBatchJournal::mark_pending(std::int64_t job_id, std::int64_t seq) {
  transition(job_id, seq,
             "UPDATE batch_items SET state = 'pending', new_serial = NULL"
             " WHERE job_id = :job AND seq = :seq AND state = 'reserved'",
             nullptr, "reserved");
}

void SqliteBatchJournal::mark_skipped(std::int64_t job_id, std::int64_t seq, const std::string& note) {
  transition(job_id, seq,
             "UPDATE batch_items SET state = 'skipped', new_serial = NULL, note = :note"
             " WHERE job_id = :job AND seq = :seq AND state IN ('pending', 'reserved')",
             [&](SQLite::Statement& st) { st.bind(":note", note); }, "pending or reserved");
}

void SqliteBatchJournal::complete_job(std::int64_t job_id, Timestamp at) {
  const int changed = guarded("completing batch job " + std::to_string(job_id), [&] {
    SQLite::Statement st(db_, "UPDATE batch_jobs SET state = 'completed', completed_at = :at WHERE id = :id");
    bind_time(st, ":at", at);
    st.bind(":id", static_cast<int64_t>(job_id));
    return st.exec();
  });
  if (changed != 1) throw Error(ErrorCode::NotFound, "unknown batch job " + std::to_string(job_id));
}

void SqliteBatchJournal::reopen_job(std::int64_t job_id) {
  guarded("reopening batch job " + std::to_string(job_id), [&] {
    SQLite::Statement st(db_, "UPDATE batch_jobs SET state = 'running', completed_at = NULL WHERE id = ?");
    st.bind(1, static_cast<int64_t>(job_id));
    st.exec();
  });
}

std::vector<BatchJob> SqliteBatchJournal::jobs(std::optional<BatchJobState> state) const {
  return guarded("listing batch jobs", [&] {
    SQLite::Statement st(db_, std::string(kJobColumns) + (state ? "WHERE state = ? " : "") + "ORDER BY id");
    if (state) st.bind(1, std::string(to_string(*state)));
    std::vector<BatchJob> out;
    while (st.executeStep()) out.push_back(read_job(st));
    return out;
  });
}

}  // namespace inkan::sqlite
