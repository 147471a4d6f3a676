#include "ca/service/shared_store.hpp"

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/postgresql_store.hpp"

namespace inkan::service {

bool is_shared_store_uri(const std::string& uri) { return is_postgresql_uri(uri); }

namespace {

void require_postgresql_uri(const std::string& uri) {
  if (!is_postgresql_uri(uri))
    throw Error(ErrorCode::InvalidArgument,
                "--db must be a PostgreSQL URI such as postgresql:///inkan?host=/run/postgresql (got '" +
                    uri.substr(0, uri.find(':')) + ":...')");
}

}  // namespace

std::unique_ptr<Store> open_shared_store(const std::string& uri) {
  require_postgresql_uri(uri);
  return open_postgresql_store(uri);
}

SharedStoreMigration migrate_shared_store(const std::string& uri) {
  require_postgresql_uri(uri);
  const auto m = migrate_postgresql_store(uri);
  return {m.from, m.to, m.database};
}

}  // namespace inkan::service
