// Upgrades (issue 15): a database older than the program is backed up beside itself before it
// is migrated; one newer than the program is refused and left byte-identical, directory and all.
#include <sys/stat.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <fstream>
#include <map>
#include <string>

#include "ca/crypto/sha256_stream.hpp"
#include "ca/service/backup/backup.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/doctor.hpp"
#include "ca/store/sqlite/migrations.hpp"  // internal: the embedded migrations, to build an older schema
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;
using Catch::Matchers::ContainsSubstring;

namespace {

// A function, not a constant: kMigrations is a global of another translation unit, which may not
// be initialised yet while this one's globals are.
int newest() { return sqlite::kMigrations.back().first; }
// The migration before the newest (numbers may have gaps: each branch has its own).
int previous() { return sqlite::kMigrations[sqlite::kMigrations.size() - 2].first; }

// Every file in DIR with the SHA-256 of its bytes: "left as it was" means this map is equal.
std::map<std::string, std::string> fingerprint(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    crypto::Sha256Stream h;
    h.update(bytes.data(), bytes.size());
    out[entry.path().filename().string()] = h.final_hex();
  }
  return out;
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// A database exactly as the previous release left it: every migration but the newest, as
// apply_migrations records them, and one tenant.
void make_previous_release_database(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  store_test::RawDb raw(dir / "inkan.db");
  REQUIRE(raw.exec("PRAGMA journal_mode = WAL; CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                   "applied_at INTEGER NOT NULL) STRICT").empty());
  for (const auto& [version, sql] : sqlite::kMigrations) {
    if (version == newest()) break;
    REQUIRE(raw.exec(std::string(sql)).empty());
    REQUIRE(raw.exec("INSERT INTO schema_version VALUES (" + std::to_string(version) + ", 0)").empty());
  }
  REQUIRE(raw.exec("INSERT INTO tenants (id, name, created_at) VALUES ('acme', 'Acme Care', 0)").empty());
}

}  // namespace

TEST_CASE("upgrade: a database newer than this inkan is refused and left byte-identical", "[upgrade]") {
  CaFixture f;
  const auto data = f.dir.path() / "data";
  f.store.reset();
  {
    store_test::RawDb raw(data / "inkan.db");
    REQUIRE(raw.exec("INSERT INTO schema_version VALUES (" + std::to_string(newest() + 1) + ", 0)").empty());
  }  // the last connection closes: the WAL is checkpointed and removed
  const auto before = fingerprint(data);
  REQUIRE(before.count("inkan.db") == 1);

  try {
    service::open_data_dir(data);
    FAIL("expected Error(InvalidState)");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::InvalidState);
    CHECK_THAT(e.what(), ContainsSubstring("schema version " + std::to_string(newest() + 1)));
    CHECK_THAT(e.what(), ContainsSubstring("up to " + std::to_string(newest())));
    CHECK_THAT(e.what(), ContainsSubstring("nothing was changed"));
  }
  // The store itself refuses too, before its read-write open.
  CHECK_THROWS_AS(open_sqlite_store(data / "inkan.db"), Error);
  // Byte-identical, and no -wal, -shm or backup appeared.
  CHECK(fingerprint(data) == before);
}

TEST_CASE("upgrade: an older database is backed up beside itself, then migrated", "[upgrade]") {
  store_test::TempDir dir;
  const auto data = dir.path() / "data";
  make_previous_release_database(data);
  REQUIRE(read_schema_versions(data / "inkan.db").database == previous());

  std::optional<service::PreMigrationBackup> told;
  service::OpenOptions options;
  options.on_backup = [&](const service::PreMigrationBackup& b) { told = b; };
  auto store = service::open_data_dir(data, options);

  REQUIRE(told.has_value());
  CHECK(told->from_version == previous());
  CHECK(told->to_version == newest());
  CHECK(told->file.parent_path() == data);
  CHECK_THAT(told->file.filename().string(),
             ContainsSubstring("inkan.db.pre-migration-v" + std::to_string(previous()) + "-to-v" +
                               std::to_string(newest()) + "-"));
  CHECK(mode_of(told->file) == 0600);
  CHECK(read_schema_versions(data / "inkan.db").database == newest());
  CHECK(store->tenants().find("acme").has_value());

  // doctor names it.
  const FixedClock clock{parse_date_or_time("2026-12-07T12:00:00Z")};
  const service::Actor actor{"test:upgrade"};
  CHECK(service::newest_pre_migration_backup(data) == told->file);
  const auto report = service::run_doctor(*store, clock, {false, data}, actor);
  bool named = false;
  for (const auto& finding : report.findings)
    if (finding.check == "upgrade-backup") named = finding.message.find(told->file.string()) != std::string::npos;
  CHECK(named);

  // A backup of the old schema: restore takes it (and migrates the copy). Written before any
  // passphrase is known, it has no manifest.mac: only accepted as unauthenticated.
  const auto restored = dir.path() / "restored";
  service::RestoreOptions unauthenticated;
  unauthenticated.accept_unauthenticated = true;
  const auto r = service::restore_backup(told->file, restored, unauthenticated, clock, actor);
  CHECK_FALSE(r.authenticated);
  CHECK(r.manifest.content.schema_version == previous());
  CHECK(r.manifest.content.tenants == 1);
  CHECK(service::open_data_dir(restored)->tenants().find("acme").has_value());
  CHECK_FALSE(service::newest_pre_migration_backup(restored).has_value());

  // Migrated once: opening again writes no second backup.
  store.reset();
  told.reset();
  service::open_data_dir(data, options);
  CHECK_FALSE(told.has_value());
}

TEST_CASE("upgrade: a new data directory is created without a backup", "[upgrade]") {
  store_test::TempDir dir;
  bool told = false;
  service::OpenOptions options;
  options.on_backup = [&](const service::PreMigrationBackup&) { told = true; };
  service::open_or_create_data_dir(dir.path() / "data", options);
  CHECK_FALSE(told);
  CHECK_FALSE(service::newest_pre_migration_backup(dir.path() / "data").has_value());
}
