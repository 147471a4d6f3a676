#pragma once
// Write transactions on PostgreSQL with SQLite's contract.
//
// Store::begin() promises BEGIN IMMEDIATE: the write lock is taken at once, so a read-then-write
// sequence in a service ("refuse a duplicate active CN, then reserve") sees no other writer
// between its read and its write. PostgreSQL's READ COMMITTED alone does not give that, and
// SERIALIZABLE would turn such races into 40001 failures the services would have to retry. So a
// transaction is BEGIN plus pg_advisory_xact_lock(kWriterLock): writers of every node queue on
// one lock and run one at a time, as on SQLite, and readers (plain statements) are never blocked.
// The cost is the same as SQLite's (one writer at a time); the constraints (UNIQUE serials, the
// successor index) stay the last line of defence.
#include <optional>

#include "ca/store/postgresql/connection.hpp"

namespace inkan::pg {

// BEGIN + the writer lock; ROLLBACK in the destructor unless committed. Error(InvalidState) when
// the connection is already in a transaction (SQLite refuses a nested BEGIN too).
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Connection& db_;
  bool open_ = true;
};

// The writer lock for a read-then-write sequence inside one repository call: joins the caller's
// transaction when there is one (which holds the lock already), otherwise opens its own.
class WriteScope {
 public:
  explicit WriteScope(Connection& db) {
    if (!db.in_transaction()) own_.emplace(db);
  }
  void commit() {
    if (own_) own_->commit();
  }

 private:
  std::optional<WriteTransaction> own_;
};

// One writing statement with the writer lock, as every SQLite write holds the database's write
// lock: inside the caller's transaction as exec_atomic (a failure leaves the transaction usable),
// otherwise in a transaction of its own. So the rows a write touches (and the counts and change
// log its triggers keep) change in one order across nodes.
Result write(Connection& db, const std::string& sql, const Params& params = {});

}  // namespace inkan::pg
