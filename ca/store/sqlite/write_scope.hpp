#pragma once
// Holds the write lock for a read-then-write sequence inside one repository call: joins the
// caller's transaction when there is one (Store::begin() already took BEGIN IMMEDIATE),
// otherwise opens its own BEGIN IMMEDIATE.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <optional>

#include "ca/store/sqlite/connection.hpp"

namespace inkan::sqlite {

class WriteScope {
 public:
  explicit WriteScope(SQLite::Database& db) {
    if (sqlite3_get_autocommit(db.getHandle()) != 0) {
      gate_.emplace(db);
      own_.emplace(db, SQLite::TransactionBehavior::IMMEDIATE);
    }
  }
  void commit() {
    if (own_) own_->commit();
  }

 private:
  std::optional<WriteGate> gate_;  // declared first: released after own_ ends
  std::optional<SQLite::Transaction> own_;
};

}  // namespace inkan::sqlite
