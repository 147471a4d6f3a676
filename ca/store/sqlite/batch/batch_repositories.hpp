#pragma once
// SQLite implementations of the batch journal and of the cross-table consistency checks.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <functional>
#include <string_view>

#include "ca/store/sqlite/statement_cache.hpp"
#include "ca/store/store.hpp"

namespace inkan::sqlite {

class SqliteBatchJournal final : public BatchJournal {
 public:
  explicit SqliteBatchJournal(SQLite::Database& db) : db_(db) {}
  std::optional<BatchJob> find_job(const std::string& job_key) const override;
  std::optional<BatchJob> job(std::int64_t id) const override;
  std::int64_t create_job(const BatchJob& job, const std::vector<BatchItem>& items) override;
  std::vector<BatchItem> items(std::int64_t job_id, std::optional<BatchItemState> state, std::int64_t after_seq,
                               std::size_t limit) const override;
  BatchCounts counts(std::int64_t job_id) const override;
  void mark_reserved(std::int64_t job_id, std::int64_t seq, const Serial& new_serial) override;
  void mark_committed(std::int64_t job_id, std::int64_t seq) override;
  void mark_pending(std::int64_t job_id, std::int64_t seq) override;
  void mark_skipped(std::int64_t job_id, std::int64_t seq, const std::string& note) override;
  void complete_job(std::int64_t job_id, Timestamp at) override;
  void reopen_job(std::int64_t job_id) override;
  std::vector<BatchJob> jobs(std::optional<BatchJobState> state) const override;

 private:
  void transition(std::int64_t job_id, std::int64_t seq, const char* sql,
                  const std::function<void(SQLite::Statement&)>& bind, std::string_view expected);
  SQLite::Database& db_;
  mutable StatementCache statements_{db_};  // after db_, which it borrows; 2 transitions per batch item
};

class SqliteConsistencyChecks final : public ConsistencyChecks {
 public:
  explicit SqliteConsistencyChecks(SQLite::Database& db) : db_(db) {}
  std::vector<std::string> lineage_problems(std::size_t limit) const override;
  std::vector<std::string> journal_problems(std::size_t limit) const override;

 private:
  SQLite::Database& db_;
};

}  // namespace inkan::sqlite
