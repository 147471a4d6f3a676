// Store::begin(): BEGIN IMMEDIATE with rollback unless committed.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "store_test_support.hpp"

using namespace inkan;
using namespace inkan::store_test;

TEST_CASE("store: a transaction not committed is rolled back on destruction", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  {
    auto tx = store->begin();
    store->tenants().add(tenant("ghost"));
    store->audit().append(AuditEvent{0, at("2025-01-01"), "cli:a", "tenant.add", "tenant:ghost",
                                     "", "", ""});
    CHECK(store->tenants().find("ghost").has_value());  // visible inside the transaction
  }
  CHECK_FALSE(store->tenants().find("ghost").has_value());
  CHECK(store->audit().list(0, 0).empty());
}

TEST_CASE("store: a committed transaction persists across reopen", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  {
    auto store = db.open();
    auto tx = store->begin();
    store->tenants().add(tenant("acme"));
    store->audit().append(AuditEvent{0, at("2025-01-01"), "cli:a", "tenant.add", "tenant:acme",
                                     "", "", ""});
    tx->commit();
  }
  auto store = db.open();
  CHECK(store->tenants().find("acme").has_value());
  CHECK(store->audit().verify().entries == 1);
}

TEST_CASE("store: other connections read the last committed state during a write", "[store]") {
  TempDir dir;
  auto first = open_sqlite_store(dir.db());
  auto second = open_sqlite_store(dir.db());
  auto tx = first->begin();
  first->tenants().add(tenant("acme"));
  // WAL: the second connection keeps reading the last committed state while the first writes.
  CHECK_FALSE(second->tenants().find("acme").has_value());
  CHECK(second->tenants().list().empty());
  tx->commit();
  CHECK(second->tenants().find("acme").has_value());
}
