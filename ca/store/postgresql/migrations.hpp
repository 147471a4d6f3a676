#pragma once
// The PostgreSQL schema's migrations (schemas/sql/postgresql, embedded at build time). They run
// only when asked (`inkan store migrate`), never when a store is opened: a node's role needs no
// right to create tables, and an upgrade is one deliberate step for every node.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ca/store/postgresql/connection.hpp"

namespace inkan::pg {

// (version, SQL) in ascending version order.
extern const std::vector<std::pair<int, std::string_view>> kMigrations;

int newest_schema_version();
// The database's schema version, 0 when it has no inkan schema yet.
int schema_version(Connection& db);
// Applies every migration newer than the database's, each in its own transaction, under the
// session advisory lock kMigrationLock. Returns the versions before and after. Error(Store)
// when the database is newer than this inkan.
std::pair<int, int> migrate(Connection& db);
// Error(InvalidState) unless the database has exactly this inkan's schema version; the message
// names `inkan store migrate`.
void require_current_schema(Connection& db);

}  // namespace inkan::pg
