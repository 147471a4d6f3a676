#include "ca/store/postgresql/transaction.hpp"

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/locks.hpp"
#include "ca/store/postgresql/pg_errors.hpp"

namespace inkan::pg {

WriteTransaction::WriteTransaction(Connection& db) : db_(db) {
  if (db_.in_transaction())
    throw Error(ErrorCode::InvalidState, "a transaction is already open on this store connection");
  guarded("starting a transaction", [&] {
    db_.exec("BEGIN");
    try {
      db_.exec("SELECT pg_advisory_xact_lock($1)", Params().integer(kWriterLock));
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
  });
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    db_.exec("ROLLBACK");
  } catch (...) {
    // A lost connection has rolled back already.
  }
}

void WriteTransaction::commit() {
  db_.before_commit();  // may throw: the destructor then rolls back
  open_ = false;        // after a failed COMMIT the transaction is over either way
  guarded("committing", [&] { db_.exec("COMMIT"); });
}

Result write(Connection& db, const std::string& sql, const Params& params) {
  if (db.in_transaction()) return db.exec_atomic(sql, params);
  WriteTransaction tx(db);
  Result result = db.exec(sql, params);
  tx.commit();
  return result;
}

}  // namespace inkan::pg
