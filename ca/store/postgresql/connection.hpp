#pragma once
// A libpq connection and its results, owned (RAII), with parameterised queries only: every
// value travels as a $n parameter, never spliced into SQL text. Byte strings (DER, ciphertext)
// are sent as binary bytea parameters and read back with PQunescapeBytea, so any byte survives.
#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/records.hpp"

namespace inkan::pg {

// The values of one statement's $1, $2, ... in order. Text and integers are sent as text (the
// server converts them to the column's type); bytes as binary bytea.
class Params {
 public:
  Params() = default;
  Params& text(std::string value);
  Params& text(const std::optional<std::string>& value);
  Params& integer(std::int64_t value);
  Params& integer(const std::optional<std::int64_t>& value);
  Params& time(Timestamp value);  // unix seconds, as the schema stores times
  Params& time(const std::optional<Timestamp>& value);
  Params& bytes(const Bytes& value);
  Params& null();

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const;
  const std::vector<int>& lengths() const { return lengths_; }
  const std::vector<int>& formats() const { return formats_; }
  const std::vector<Oid>& types() const { return types_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<Oid> types_;
};

// One statement's result (text format). Rows and columns are 0-based.
class Result {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  ~Result() { PQclear(result_); }
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const { return PQntuples(result_); }
  bool empty() const { return rows() == 0; }
  // Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected() const;

  int columns() const { return PQnfields(result_); }
  std::string column_name(int col) const { return PQfname(result_, col); }
  Oid column_type(int col) const { return PQftype(result_, col); }

  bool is_null(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }
  std::string text(int row, int col) const;  // NULL reads as ""
  std::optional<std::string> optional_text(int row, int col) const;
  std::int64_t integer(int row, int col) const;  // NULL reads as 0
  std::optional<std::int64_t> optional_integer(int row, int col) const;
  Timestamp time(int row, int col) const;
  std::optional<Timestamp> optional_time(int row, int col) const;
  Bytes bytes(int row, int col) const;  // a bytea column; NULL reads as empty

 private:
  PGresult* result_;
};

// Thrown by Connection for a failed statement: what PostgreSQL said, with its SQLSTATE and the
// violated constraint's name. Never leaves ca/store/postgresql (pg_errors.hpp turns it into
// inkan::Error).
class PgError : public std::runtime_error {
 public:
  PgError(const std::string& message, std::string sqlstate, std::string constraint)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), constraint_(std::move(constraint)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& constraint() const { return constraint_; }

 private:
  std::string sqlstate_;
  std::string constraint_;
};

// How many times a statement that is its own transaction is run again after a serialization
// failure (40001) or a deadlock (40P01) before the error reaches the caller.
inline constexpr int kRetriesOnConflict = 5;

class Connection {
 public:
  // Connects with a libpq URI or key=value string. Refuses one carrying a password (it would be
  // in argv or the environment): the password comes from PGPASSFILE or ~/.pgpass. Throws
  // Error(Store) naming the database, never the password.
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement. Outside a transaction a statement that failed with 40001 or 40P01 is
  // retried (at most kRetriesOnConflict times, with a short growing pause); inside one the
  // caller's transaction is what must be retried, so the error is thrown. Throws PgError.
  Result exec(const std::string& sql, const Params& params = {});
  // Like exec, but inside a transaction a failure leaves the transaction usable (a SAVEPOINT
  // around the statement), as a failed statement does on SQLite: for INSERTs whose constraint
  // violations the repositories turn into AlreadyExists.
  Result exec_atomic(const std::string& sql, const Params& params = {});

  // Runs several statements without parameters (a migration file), with the simple query
  // protocol; no retry. Throws PgError.
  void exec_script(const std::string& sql);

  bool in_transaction() const;
  // Run by every WriteTransaction just before its COMMIT, inside it (the store's security-table
  // digests, transaction.hpp).
  void set_before_commit(std::function<void()> hook) { before_commit_ = std::move(hook); }
  void before_commit() const {
    if (before_commit_) before_commit_();
  }
  // "database 'inkan' on /run/postgresql": for messages (no password, no full URI).
  std::string describe() const;

 private:
  Result run(const std::string& sql, const Params& params);
  Result checked(PGresult* raw);
  PGconn* conn_ = nullptr;
  std::function<void()> before_commit_;
};

}  // namespace inkan::pg
