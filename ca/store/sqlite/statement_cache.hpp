#pragma once
// Prepared statements kept for the life of a connection. Preparing (parsing and planning) was
// 12 % of the server's CPU during the renewal benchmark, more than executing: a renewal runs
// about twenty statements. A repository that owns a cache is a member of the store that owns the
// connection, so its statements are finalized before the connection closes.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace inkan::sqlite {

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}

  // A statement lent until the lease ends, then reset with its bindings cleared, which ends its
  // read as finalizing would (a statement left stepping would pin the connection's snapshot).
  class Lease {
   public:
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    SQLite::Statement& operator*() const { return *statement_; }

   private:
    friend class StatementCache;
    Lease(SQLite::Statement* statement, bool* in_use, std::unique_ptr<SQLite::Statement> own)
        : statement_(statement), in_use_(in_use), own_(std::move(own)) {}
    SQLite::Statement* statement_;
    bool* in_use_;                           // the cache entry's flag; null for an uncached one
    std::unique_ptr<SQLite::Statement> own_;  // a second, uncached copy for a nested use
  };

  // The prepared statement for `sql`. Meant for fixed SQL: each distinct text is kept.
  Lease get(const std::string& sql);

 private:
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  SQLite::Database& db_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace inkan::sqlite
