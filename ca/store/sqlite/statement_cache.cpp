#include "ca/store/sqlite/statement_cache.hpp"

namespace inkan::sqlite {

StatementCache::Lease::~Lease() {
  if (!in_use_) return;  // an uncached statement is finalized by own_
  statement_->tryReset();
  try {
    statement_->clearBindings();  // sqlite3_clear_bindings: it has no failure to report
  } catch (...) {
  }
  *in_use_ = false;
}

StatementCache::Lease StatementCache::get(const std::string& sql) {
  auto& entry = entries_[sql];
  if (entry.in_use) {
    // The same SQL is already lent further up the stack: resetting it would break that caller.
    auto own = std::make_unique<SQLite::Statement>(db_, sql);
    auto* raw = own.get();
    return Lease(raw, nullptr, std::move(own));
  }
  if (!entry.statement) entry.statement = std::make_unique<SQLite::Statement>(db_, sql);
  entry.in_use = true;
  return Lease(entry.statement.get(), &entry.in_use, nullptr);
}

}  // namespace inkan::sqlite
