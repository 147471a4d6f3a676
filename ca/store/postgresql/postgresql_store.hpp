#pragma once
// The PostgreSQL store (issue 22): the repositories of ca/store/store.hpp on a shared
// PostgreSQL database, so that several inkan nodes serve one installation.
#include <memory>
#include <string>
#include <string_view>

#include "ca/store/store.hpp"

namespace inkan {

// True for a libpq URI ("postgresql://..." or "postgres://..."), which selects this backend.
bool is_postgresql_uri(std::string_view s);

// Connects with `uri` (a libpq URI without a password: the password comes from PGPASSFILE or
// ~/.pgpass). Never creates or alters tables: Error(InvalidState) naming `inkan store migrate`
// when the database has no inkan schema, an older one or a newer one. Error(Store) when the
// server cannot be reached.
std::unique_ptr<Store> open_postgresql_store(const std::string& uri);

struct PostgresqlMigration {
  int from = 0;  // the schema version found (0: an empty database)
  int to = 0;    // the version now
  std::string database;  // "PostgreSQL database 'inkan' on /run/postgresql"
};

// `inkan store migrate`: applies the missing migrations of schemas/sql/postgresql under an
// advisory lock (two nodes upgrading at once apply each migration once). Running it again
// changes nothing. Error(Store) when the database is newer than this inkan.
PostgresqlMigration migrate_postgresql_store(const std::string& uri);

// The schema version this inkan writes.
int postgresql_schema_version();

// The libpq version linked, e.g. "15.18" (`inkan --version`).
std::string libpq_runtime_version();

}  // namespace inkan
