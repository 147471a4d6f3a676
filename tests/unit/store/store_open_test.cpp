// Opening the store: file creation, connection settings, migrations.
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "ca/store/sqlite/connection.hpp"  // internal: to inspect connection settings
#include "ca/store/sqlite/migrations.hpp"  // internal: the embedded migration list
#include "store_test_support.hpp"

using namespace inkan;
using namespace inkan::store_test;

TEST_CASE("store: a new database file is created with mode 0600", "[store]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  store->settings().put("k", "v");  // forces the WAL file into existence

  struct stat st {};
  REQUIRE(::stat(dir.db().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // SQLite gives -wal and -shm the mode of the database file.
  const auto wal = dir.db().string() + "-wal";
  REQUIRE(::stat(wal.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("store: opening uses WAL and applies migrations exactly once", "[store]") {
  TempDir dir;
  { auto store = open_sqlite_store(dir.db()); store->tenants().add(tenant("acme")); }
  { auto store = open_sqlite_store(dir.db()); }  // a reopen must not re-run 0001
  auto store = open_sqlite_store(dir.db());
  CHECK(store->tenants().find("acme").has_value());

  RawDb raw(dir.db());
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
  // Each embedded migration is recorded once, up to the newest (later migrations add rows).
  CHECK(raw.text("SELECT count(*) FROM schema_version") == std::to_string(sqlite::kMigrations.size()));
  CHECK(raw.text("SELECT max(version) FROM schema_version") ==
        std::to_string(sqlite::kMigrations.back().first));
}

TEST_CASE("store: a database from a newer inkan is refused", "[store]") {
  TempDir dir;
  { auto store = open_sqlite_store(dir.db()); }
  {
    RawDb raw(dir.db());
    REQUIRE(raw.exec("INSERT INTO schema_version VALUES (9999, 0)").empty());
  }
  try {
    open_sqlite_store(dir.db());
    FAIL("expected Error(Store)");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::Store);
    CHECK(std::string(e.what()).find("9999") != std::string::npos);
  }
}

TEST_CASE("store: an uncreatable file is an Io error naming it", "[store]") {
  TempDir dir;
  const auto file = dir.path() / "missing-dir" / "inkan.db";
  try {
    open_sqlite_store(file);
    FAIL("expected Error(Io)");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::Io);
    CHECK(std::string(e.what()).find("missing-dir") != std::string::npos);
  }
}

TEST_CASE("store: check_integrity passes on a fresh and a used database", "[store]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  CHECK(store->check_integrity().ok);
  store->tenants().add(tenant("acme"));
  const auto ca = store->cas().add(issuing_ca());
  issue(*store, 1, ca, "acme", at("2027-01-01"));
  const auto report = store->check_integrity();
  CHECK(report.ok);
  CHECK(report.problems.empty());
}

TEST_CASE("store: check_integrity reports a dangling foreign key", "[store]") {
  TempDir dir;
  {
    auto store = open_sqlite_store(dir.db());
    store->tenants().add(tenant("acme"));
    const auto ca = store->cas().add(issuing_ca());
    issue(*store, 1, ca, "acme", at("2027-01-01"));
  }
  {
    RawDb raw(dir.db());  // foreign keys are off by default on a raw connection
    REQUIRE(raw.exec("DELETE FROM tenants WHERE id = 'acme'").empty());
  }
  auto store = open_sqlite_store(dir.db());
  const auto report = store->check_integrity();
  CHECK_FALSE(report.ok);
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].find("certificates") != std::string::npos);
}

TEST_CASE("store: settings put, overwrite and get", "[store]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  CHECK_FALSE(store->settings().get("crl_url").has_value());
  store->settings().put("crl_url", "http://a/");
  store->settings().put("crl_url", "http://b/");
  CHECK(store->settings().get("crl_url") == "http://b/");
}

TEST_CASE("store: each connection runs with synchronous=FULL, foreign keys and WAL", "[store]") {
  // Per-connection settings cannot be seen from another connection, so ask the one the store
  // would use.
  TempDir dir;
  auto db = sqlite::open_connection(dir.db());
  CHECK(db.execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
  CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(db.execAndGet("PRAGMA temp_store").getInt() == 2);  // MEMORY
}

TEST_CASE("store: a writer that finds the write lock held waits for it instead of failing", "[store]") {
  TempDir dir;
  auto holder = sqlite::open_connection(dir.db());
  auto waiter = sqlite::open_connection(dir.db());
  holder.exec("CREATE TABLE t (v INTEGER)");
  holder.exec("BEGIN IMMEDIATE");
  holder.exec("INSERT INTO t VALUES (1)");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    holder.exec("COMMIT");
  });
  // Without a busy handler this BEGIN IMMEDIATE fails at once with SQLITE_BUSY.
  CHECK_NOTHROW(waiter.exec("BEGIN IMMEDIATE"));
  release.join();
  waiter.exec("INSERT INTO t VALUES (2)");
  waiter.exec("COMMIT");
  CHECK(waiter.execAndGet("SELECT count(*) FROM t").getInt() == 2);
}

TEST_CASE("store: reading the schema version waits for a connection that holds the file exclusively",
          "[store]") {
  TempDir dir;
  open_sqlite_store(dir.db());
  // An exclusive-locking connection keeps even WAL readers out, as the last connection does while
  // it checkpoints and closes: the moment a concurrent `inkan issue` met in CI.
  auto holder = sqlite::open_connection(dir.db());
  holder.exec("PRAGMA locking_mode = EXCLUSIVE");
  holder.exec("BEGIN EXCLUSIVE");
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    holder.exec("COMMIT");
    holder.exec("PRAGMA locking_mode = NORMAL");
    holder.exec("SELECT count(*) FROM sqlite_schema");  // the lock is dropped at the next access
  });
  // Without a busy handler on its read-only connection this failed at once with "database is busy".
  int version = -1;
  CHECK_NOTHROW(version = read_schema_versions(dir.db()).database);
  release.join();
  CHECK(version == sqlite::kMigrations.back().first);
}

TEST_CASE("store: a second transaction on the same thread fails at once instead of waiting for itself",
          "[store]") {
  TempDir dir;
  auto store = open_sqlite_store(dir.db());
  auto other = open_sqlite_store(dir.db());
  auto tx = store->begin();
  // SQLite's own refusal, not the gate's "database is busy" after waiting 10 s for itself.
  CHECK_THROWS_WITH(store->begin(), Catch::Matchers::ContainsSubstring("within a transaction"));
  tx->commit();
  // The gate was released: another connection of this thread can write now.
  CHECK_NOTHROW(other->begin()->commit());
}

TEST_CASE("store: the busy pauses are short, capped at 1 ms, and end after the busy timeout", "[store]") {
  long waited_us = 0;
  int attempt = 0;
  for (long pause; (pause = sqlite::busy_retry_pause_us(attempt)) != 0; ++attempt) {
    CHECK(pause > 0);
    CHECK(pause <= 1000);
    waited_us += pause;
  }
  CHECK(sqlite::busy_retry_pause_us(0) <= 100);  // the first retry comes quickly
  CHECK(waited_us >= sqlite::kBusyTimeoutMs * 1000L);
  CHECK(waited_us < sqlite::kBusyTimeoutMs * 1000L + 1000);
}
