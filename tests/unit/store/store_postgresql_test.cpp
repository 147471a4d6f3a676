// What only the PostgreSQL backend has to prove (issue 22): explicit migrations, the refusal of
// an unmigrated or newer schema, writers serialized across connections like SQLite's BEGIN
// IMMEDIATE, CRL numbers across connections, bytea that keeps every byte, no password in a URI.
// The repositories' shared behaviour is tested on both backends in the other store tests.
#include <catch2/catch_test_macros.hpp>

#include <atomic>
#include <iostream>
#include <chrono>
#include <set>
#include <thread>

#include "store_test_support.hpp"

using namespace inkan;
using namespace inkan::store_test;

namespace {

std::string error_of(const std::function<void()>& f, ErrorCode expected) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.code() == expected);
    return e.what();
  }
  FAIL("expected an error");
  return "";
}

}  // namespace

TEST_CASE("postgresql: opening never creates tables; `store migrate` does, once", "[store][postgresql]") {
  auto& server = PostgresServer::instance();
  std::cerr << "throwaway PostgreSQL started in " << server.startup_seconds() << " s\n";
  const std::string uri = server.empty_database();
  const auto refused = error_of([&] { open_postgresql_store(uri); }, ErrorCode::InvalidState);
  CHECK(refused.find("inkan store migrate") != std::string::npos);
  CHECK(refused.find("holds no inkan schema") != std::string::npos);
  const std::string name = uri.substr(uri.find(":///") + 4, uri.find('?') - uri.find(":///") - 4);
  CHECK(server.sql(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0");

  const auto first = migrate_postgresql_store(uri);
  CHECK(first.from == 0);
  CHECK(first.to == postgresql_schema_version());
  CHECK(first.database.find("PostgreSQL database '" + name + "'") != std::string::npos);
  const auto again = migrate_postgresql_store(uri);
  CHECK(again.from == first.to);
  CHECK(again.to == first.to);
  CHECK(server.sql(name, "SELECT count(*) FROM schema_version") == std::to_string(first.to));

  auto store = open_postgresql_store(uri);
  store->settings().put("k", "v");
  CHECK(store->settings().get("k") == "v");
}

TEST_CASE("postgresql: a database migrated by a newer inkan is refused, unchanged", "[store][postgresql]") {
  auto& server = PostgresServer::instance();
  TestDatabase db(kPostgresql);
  const std::string name = db.uri().substr(db.uri().find(":///") + 4, db.uri().find('?') - db.uri().find(":///") - 4);
  server.sql(name, "INSERT INTO schema_version VALUES (999, 0)");
  const auto opened = error_of([&] { db.open(); }, ErrorCode::InvalidState);
  CHECK(opened.find("schema version 999, newer than this inkan knows") != std::string::npos);
  const auto migrated = error_of([&] { migrate_postgresql_store(db.uri()); }, ErrorCode::Store);
  CHECK(migrated.find("newer than this inkan knows") != std::string::npos);
  CHECK(server.sql(name, "SELECT max(version) FROM schema_version") == "999");
}

TEST_CASE("postgresql: a URI carrying a password is refused without echoing it", "[store][postgresql]") {
  TestDatabase db(kPostgresql);
  const std::string with_password = "postgresql://inkan:s3cret-pw@localhost/inkan";
  const auto message = error_of([&] { open_postgresql_store(with_password); }, ErrorCode::InvalidArgument);
  CHECK(message.find("PGPASSFILE") != std::string::npos);
  CHECK(message.find("s3cret-pw") == std::string::npos);
  error_of([&] { open_postgresql_store(db.uri() + "&password=s3cret-pw"); }, ErrorCode::InvalidArgument);
}

TEST_CASE("postgresql: a transaction not committed is rolled back; a nested begin is refused", "[store][postgresql]") {
  TestDatabase db(kPostgresql);
  auto store = db.open();
  {
    auto tx = store->begin();
    store->tenants().add(tenant("ghost"));
    CHECK(store->tenants().find("ghost").has_value());
    error_of([&] { store->begin(); }, ErrorCode::InvalidState);
  }
  CHECK_FALSE(store->tenants().find("ghost").has_value());
  {
    auto tx = store->begin();
    store->tenants().add(tenant("acme"));
    // A constraint failure inside a transaction leaves it usable, as on SQLite.
    error_of([&] { store->tenants().add(tenant("acme")); }, ErrorCode::AlreadyExists);
    store->tenants().add(tenant("zeta"));
    tx->commit();
  }
  auto other = db.open();
  CHECK(other->tenants().list().size() == 2);
}

TEST_CASE("postgresql: begin() serializes writers across connections like BEGIN IMMEDIATE", "[store][postgresql]") {
  TestDatabase db(kPostgresql);
  // Each writer reads ("is the name free?"), pauses, then writes: without one writer at a time
  // both would see the name free and the second add would fail with AlreadyExists.
  std::atomic<int> added{0}, refused{0}, failed{0};
  auto writer = [&] {
    try {
      auto store = db.open();
      for (int i = 0; i < 5; ++i) {
        auto tx = store->begin();
        const std::string id = "t" + std::to_string(i);
        if (store->tenants().find(id)) {
          ++refused;
          continue;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        store->tenants().add(tenant(id));
        tx->commit();
        ++added;
      }
    } catch (const std::exception&) {
      ++failed;
    }
  };
  std::thread a(writer), b(writer);
  a.join();
  b.join();
  CHECK(failed == 0);
  CHECK(added == 5);
  CHECK(refused == 5);
}

TEST_CASE("postgresql: readers are not blocked by a writer and see only committed rows", "[store][postgresql]") {
  TestDatabase db(kPostgresql);
  auto first = db.open();
  auto second = db.open();
  auto tx = first->begin();
  first->tenants().add(tenant("acme"));
  CHECK_FALSE(second->tenants().find("acme").has_value());
  tx->commit();
  CHECK(second->tenants().find("acme").has_value());
}

TEST_CASE("postgresql: CRL numbers from concurrent connections are distinct and gapless", "[store][postgresql]") {
  TestDatabase db(kPostgresql);
  const auto ca = db.open()->cas().add(issuing_ca());
  std::vector<std::uint64_t> got[2];
  auto taker = [&](int k) {
    auto store = db.open();
    for (int i = 0; i < 50; ++i) got[k].push_back(store->cas().next_crl_number(ca));
  };
  std::thread a(taker, 0), b(taker, 1);
  a.join();
  b.join();
  std::set<std::uint64_t> all(got[0].begin(), got[0].end());
  all.insert(got[1].begin(), got[1].end());
  CHECK(all.size() == 100);
  CHECK(*all.begin() == 1);
  CHECK(*all.rbegin() == 100);
  for (const auto& mine : got) CHECK(std::is_sorted(mine.begin(), mine.end()));
}

TEST_CASE("postgresql: DER kept as bytea round-trips every byte value", "[store][postgresql]") {
  TestDatabase db(kPostgresql);
  auto store = db.open();
  CaRecord ca = issuing_ca();
  ca.cert_der.clear();
  for (int i = 0; i < 256; ++i) ca.cert_der.push_back(static_cast<std::uint8_t>(255 - i));
  ca.cert_der.push_back(0);
  const auto id = store->cas().add(ca);
  CHECK(store->cas().find(id)->cert_der == ca.cert_der);
  PendingCa pending{KeyType::EcP256, "pem", Bytes{0, 0, 1, 0}, at("2025-01-01"), std::nullopt};
  store->cas().put_pending_issuing(pending);
  CHECK(store->cas().pending_issuing()->csr_der == pending.csr_der);
}

TEST_CASE("postgresql: of renewals racing on four connections exactly one links the successor", "[store][postgresql]") {
  TestDatabase db(kPostgresql);
  std::int64_t ca = 0;
  Serial old = Serial::from_bytes({1});
  {
    auto store = db.open();
    store->tenants().add(tenant("acme"));
    ca = store->cas().add(issuing_ca());
    old = issue(*store, 0x01, ca, "acme", at("2030-01-01"));
  }
  std::atomic<int> linked{0}, lost{0}, failed{0};
  auto renew = [&](std::uint8_t byte) {
    try {
      auto store = db.open();
      auto tx = store->begin();
      Reservation r = reservation(Serial::from_bytes({0x6B, byte}), ca, "acme", at("2031-01-01"));
      r.predecessor = old;
      try {
        store->certificates().reserve(r);
      } catch (const Error& e) {
        if (e.code() != ErrorCode::AlreadyExists) throw;
        ++lost;  // the successor index: another renewal reserved first
        return;
      }
      store->certificates().commit_issued(r.serial, issued_for(r.serial, at("2028-01-01")));
      if (!store->certificates().link_successor(old, r.serial, false)) {
        ++lost;
        return;
      }
      tx->commit();
      ++linked;
    } catch (const std::exception&) {
      ++failed;
    }
  };
  std::vector<std::thread> threads;
  for (std::uint8_t i = 0; i < 4; ++i) threads.emplace_back(renew, static_cast<std::uint8_t>(0x10 + i));
  for (auto& t : threads) t.join();
  CHECK(failed == 0);
  CHECK(linked == 1);
  CHECK(lost == 3);
  auto store = db.open();
  const auto predecessor = store->certificates().find(old);
  REQUIRE(predecessor);
  CHECK(predecessor->state == CertState::Superseded);
  REQUIRE(predecessor->successor);
  CHECK(store->certificates().find_successor_of(old)->serial == *predecessor->successor);
}

TEST_CASE("security tables: a committed change is sealed in its transaction, and both backends digest alike",
          "[store][postgresql]") {
  TestDatabase sqlite_db(kSqlite), pg_db(kPostgresql);
  auto lite = sqlite_db.open();
  auto pg = pg_db.open();
  for (Store* store : {lite.get(), pg.get()}) {
    store->security_tables().set_sealer(
        [](std::string_view table, std::string_view rows) { return std::string(table) + "-" + std::to_string(rows.size()); });
    auto tx = store->begin();
    store->tenants().add(tenant("acme"));
    CaRecord ca = issuing_ca();
    ca.cert_der = {0x00, 0xff, 0x10};
    store->cas().add(ca);
    store->settings().put("ca.validity_days", "1095");
    tx->commit();
  }
  for (const char* table : {"tenants", "cas", "settings", "admin_users", "admin_certificates"}) {
    INFO("table " << table);
    CHECK(pg->security_tables().rows(table) == lite->security_tables().rows(table));
  }
  const auto digests = pg->security_tables().digests();
  CHECK(digests == lite->security_tables().digests());
  CHECK(digests.at("tenants") == "tenants-" + std::to_string(pg->security_tables().rows("tenants").size()));
  CHECK(digests.count("admin_users") == 0);  // not changed, never sealed

  // Without a sealer (a write without the passphrase) the digest stays as it was: doctor notices.
  auto unsealed = pg_db.open();
  unsealed->tenants().set_name("acme", "Renamed");
  CHECK(pg->security_tables().digests().at("tenants") == digests.at("tenants"));
  // A connection with the sealer re-digests only what its own transactions change.
  pg->security_tables().reseal_all();
  CHECK(pg->security_tables().digests().at("tenants") != digests.at("tenants"));
}
