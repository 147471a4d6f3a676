#pragma once
// The shared (PostgreSQL) store of an installation served by several nodes (issue 22): the one
// place in ca/service that names ca/store/postgresql, as data_dir.cpp is for SQLite.
#include <memory>
#include <string>

#include "ca/store/store.hpp"

namespace inkan::service {

struct SharedStoreMigration {
  int from = 0;  // the schema version found (0: an empty database)
  int to = 0;    // the schema version now
  std::string database;  // "PostgreSQL database 'inkan' on /run/postgresql" (never a password)
};

// True for a value of --db / INKAN_DB that names a PostgreSQL database (postgresql://...).
bool is_shared_store_uri(const std::string& uri);

// `inkan store migrate`: brings the database named by `uri` to this inkan's schema, under an
// advisory lock, and changes nothing when it is current. Error(InvalidArgument) for a URI that
// is not postgresql:// or carries a password; Error(Store) when the server cannot be reached or
// the database is newer than this inkan.
SharedStoreMigration migrate_shared_store(const std::string& uri);

// The store of the database named by `uri` (data_dir.cpp's seam). Error(InvalidState) naming
// `inkan store migrate` when its schema is missing, older or newer than this inkan's.
std::unique_ptr<Store> open_shared_store(const std::string& uri);

}  // namespace inkan::service
