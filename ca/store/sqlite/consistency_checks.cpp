// Cross-table checks for `inkan doctor`: lineage pointers and the batch journal.
#include <SQLiteCpp/Statement.h>

#include "ca/store/sqlite/batch/batch_repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

// Each query yields one text column: the finding.
std::vector<std::string> collect(SQLite::Database& db, const char* doing, std::initializer_list<const char*> queries,
                                 std::size_t limit) {
  return guarded(doing, [&] {
    std::vector<std::string> out;
    for (const char* sql : queries) {
      SQLite::Statement st(db, sql);
      st.bind(1, limit == 0 ? int64_t{-1} : static_cast<int64_t>(limit));
      while (st.executeStep() && (limit == 0 || out.size() < limit)) out.push_back(st.getColumn(0).getString());
    }
    return out;
  });
}

}  // namespace

std::vector<std::string> SqliteConsistencyChecks::lineage_problems(std::size_t limit) const {
  // A reserved successor names its predecessor before the commit links it back: skip those.
  return collect(
      db_, "checking certificate lineage",
      {"SELECT 'certificate ' || c.serial || ' names successor ' || c.successor ||"
       " CASE WHEN s.serial IS NULL THEN ', which does not exist'"
       " WHEN s.state = 'reserved' THEN ', which is only reserved'"
       " ELSE ', whose predecessor is ' || coalesce(s.predecessor, 'empty') END"
       " FROM certificates c LEFT JOIN certificates s ON s.serial = c.successor"
       " WHERE c.successor IS NOT NULL AND (s.serial IS NULL OR s.state = 'reserved'"
       " OR s.predecessor IS NOT c.serial) LIMIT ?",
       "SELECT 'certificate ' || c.serial || ' names predecessor ' || c.predecessor ||"
       " CASE WHEN p.serial IS NULL THEN ', which does not exist'"
       " ELSE ', whose successor is ' || coalesce(p.successor, 'empty') END"
       " FROM certificates c LEFT JOIN certificates p ON p.serial = c.predecessor"
       " WHERE c.predecessor IS NOT NULL AND c.state <> 'reserved'"
       " AND (p.serial IS NULL OR p.successor IS NOT c.serial) LIMIT ?"},
      limit);
}

std::vector<std::string> SqliteConsistencyChecks::journal_problems(std::size_t limit) const {
  return collect(
      db_, "checking the batch journal",
      {"SELECT 'batch job ' || i.job_id || ' item ' || i.seq || ' is committed but certificate ' || i.new_serial ||"
       " CASE WHEN c.serial IS NULL THEN ' does not exist' ELSE ' is only reserved' END"
       " FROM batch_items i LEFT JOIN certificates c ON c.serial = i.new_serial"
       " WHERE i.state = 'committed' AND (c.serial IS NULL OR c.state = 'reserved') LIMIT ?",
       "SELECT 'batch job ' || i.job_id || ' item ' || i.seq || ' is reserved but certificate ' || i.new_serial ||"
       " ' is ' || CASE WHEN c.serial IS NULL THEN 'gone (rerun the batch to redo it)'"
       " ELSE 'already issued (rerun the batch to record it)' END"
       " FROM batch_items i LEFT JOIN certificates c ON c.serial = i.new_serial"
       " WHERE i.state = 'reserved' AND (c.serial IS NULL OR c.state <> 'reserved') LIMIT ?",
       "SELECT 'batch job ' || i.job_id || ' item ' || i.seq || ' reissued ' || i.old_serial ||"
       " ' as ' || i.new_serial || ' but the old certificate names successor ' || coalesce(o.successor, 'none')"
       " FROM batch_items i JOIN certificates o ON o.serial = i.old_serial"
       " WHERE i.state = 'committed' AND o.successor IS NOT i.new_serial LIMIT ?",
       "SELECT 'batch job ' || i.job_id || ' item ' || i.seq || ' names certificate ' || i.new_serial ||"
       " ' for ' || c.tenant_id || '/' || c.cn || ', not ' || i.tenant_id || '/' || i.cn"
       " FROM batch_items i JOIN certificates c ON c.serial = i.new_serial"
       " WHERE c.tenant_id <> i.tenant_id OR c.cn <> i.cn LIMIT ?"},
      limit);
}

}  // namespace inkan::sqlite
