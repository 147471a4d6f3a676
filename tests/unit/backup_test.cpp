// Backup and restore through the real store and services: the snapshot is consistent and
// self-contained, restore verifies everything, and any damage leaves NEWDIR untouched.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/service/backup/backup.hpp"
#include "ca/service/backup/backup_archive.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/files/zip_archive.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;
using Catch::Matchers::ContainsSubstring;

namespace {

std::vector<Serial> issue_some(CaFixture& f, service::Keyring& keyring, int n) {
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  std::vector<Serial> out;
  for (int i = 0; i < n; ++i) {
    service::IssueRequest req;
    req.tenant_id = "acme";
    req.common_name = "device-" + std::to_string(i);
    req.key_type = KeyType::EcP256;
    out.push_back(issuer.issue(req).record.serial);
  }
  return out;
}

int mode_of(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 07777);
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_all(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

service::RestoreOptions with_passphrase() { return {std::string(kPassphrase)}; }

// Restore must fail with `code` and a message containing `text`, leaving no NEWDIR behind.
void require_refused(CaFixture& f, const std::filesystem::path& backup, ErrorCode code, const std::string& text) {
  const auto target = f.dir.path() / "refused";
  try {
    service::restore_backup(backup, target, {}, f.clock, f.actor);
    FAIL("restore accepted a bad backup");
  } catch (const Error& e) {
    CHECK(e.code() == code);
    CHECK_THAT(e.what(), ContainsSubstring(text));
  }
  CHECK_FALSE(std::filesystem::exists(target));
  for (const auto& entry : std::filesystem::directory_iterator(f.dir.path()))
    CHECK_THAT(entry.path().filename().string(), !ContainsSubstring("inkan-restore"));  // staging removed
}

}  // namespace

TEST_CASE("backup then restore gives back every certificate, unlocked by the passphrase", "[backup]") {
  CaFixture f;
  auto keyring = f.unlock();
  const auto serials = issue_some(f, keyring, 5);
  const auto file = f.dir.path() / "store.inkanbak";

  const auto m = service::create_backup(*f.store, keyring.data_key(), file, f.clock);
  CHECK(mode_of(file) == 0600);
  CHECK(m.content.certificates == 5);
  CHECK(m.content.tenants == 1);
  CHECK(m.content.cas == 2);
  CHECK(m.content.audit_entries > 0);
  CHECK(m.content.audit_head_hash.size() == 64);
  REQUIRE(m.files.size() == 1);
  CHECK(m.files[0].name == "inkan.db");

  // No plaintext secret: the p12 passwords are sealed and the CA keys PKCS#8-encrypted.
  const std::string raw = read_all(f.dir.path() / "data" / "inkan.db");
  CHECK(raw.find("BEGIN PRIVATE KEY") == std::string::npos);

  const auto restored = f.dir.path() / "restored";
  const auto r = service::restore_backup(file, restored, with_passphrase(), f.clock, f.actor);
  CHECK(r.passphrase_checked);
  CHECK(mode_of(restored) == 0700);
  CHECK(mode_of(restored / "inkan.db") == 0600);
  auto store = service::open_data_dir(restored);
  for (const auto& s : serials) CHECK(store->certificates().find(s).has_value());
  CHECK(store->audit().verify().ok);
  CHECK(store->audit().list(1, 0).front().action == "store.restore");
  CHECK(store->check_integrity().ok);
  CHECK_NOTHROW(service::Keyring::unlock(*store, kPassphrase));
}

TEST_CASE("backup refuses to overwrite an existing file", "[backup]") {
  CaFixture f;
  const auto file = f.dir.path() / "exists.inkanbak";
  write_all(file, "keep me");
  REQUIRE_THROWS_AS(service::create_backup(*f.store, f.unlock().data_key(), file, f.clock), Error);
  CHECK(read_all(file) == "keep me");
}

TEST_CASE("a snapshot taken while another connection writes is consistent", "[backup]") {
  CaFixture f;
  const auto db = f.dir.path() / "data" / "inkan.db";
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  // A second connection (as another process would) appends to the audit log non-stop.
  std::thread writer([&] {
    auto other = service::open_data_dir(f.dir.path() / "data");
    while (!stop) {
      auto tx = other->begin();
      service::record(*other, f.clock, f.actor, "test.write", "n:" + std::to_string(written.load()),
                      std::string(2000, 'x'));
      tx->commit();
      ++written;
    }
  });
  auto keyring = f.unlock();
  while (written < 20) std::this_thread::yield();
  std::vector<service::BackupManifest> manifests;
  for (int i = 0; i < 3; ++i)
    manifests.push_back(service::create_backup(*f.store, keyring.data_key(), f.dir.path() / ("b" + std::to_string(i)), f.clock));
  stop = true;
  writer.join();
  for (int i = 0; i < 3; ++i) {
    const auto target = f.dir.path() / ("r" + std::to_string(i));
    const auto r = service::restore_backup(f.dir.path() / ("b" + std::to_string(i)), target, with_passphrase(), f.clock, f.actor);
    CHECK(r.passphrase_checked);
    CHECK(r.authenticated);
    CHECK(r.manifest.content.audit_entries == manifests[i].content.audit_entries);
  }
  CHECK(manifests[2].content.audit_entries >= manifests[0].content.audit_entries);
}

TEST_CASE("restore refuses a damaged backup and leaves NEWDIR absent", "[backup]") {
  CaFixture f;
  auto keyring = f.unlock();
  issue_some(f, keyring, 3);
  const auto file = f.dir.path() / "good.inkanbak";
  service::create_backup(*f.store, f.unlock().data_key(), file, f.clock);
  const std::string good = read_all(file);
  const auto bad = f.dir.path() / "bad.inkanbak";

  SECTION("damaged bytes in the database") {
    // Inside inkan.db's compressed data: between the end of its local header and the central
    // directory. A single flipped bit there sometimes leaves the inflated data unchanged (the
    // restore then rightly accepts it), so 256 octets are inverted: the data cannot survive that.
    std::string s = good;
    const auto name = s.find("inkan.db");
    REQUIRE(name != std::string::npos);
    const auto header = name - 30;  // the local file header's fixed part is 30 octets
    const auto extra_len = static_cast<unsigned char>(s[header + 28]) | static_cast<unsigned char>(s[header + 29]) << 8;
    const auto data = name + std::string("inkan.db").size() + extra_len;
    const auto central = s.find("PK\x01\x02", data);
    REQUIRE(central != std::string::npos);
    REQUIRE(central - data > 1024);
    const auto from = (data + central) / 2 - 128;
    for (auto i = from; i < from + 256; ++i) s[i] = static_cast<char>(~s[i]);
    write_all(bad, s);
    require_refused(f, bad, ErrorCode::Integrity, "inkan.db");
  }
  SECTION("a truncated file") {
    write_all(bad, good.substr(0, good.size() - 100));
    require_refused(f, bad, ErrorCode::Integrity, "truncated or damaged");
  }
  SECTION("not a backup at all") {
    write_all(bad, "SQLite format 3\0 and more");
    require_refused(f, bad, ErrorCode::InvalidArgument, "not an inkan backup");
  }
  SECTION("a zip without a manifest") {
    const Bytes zip = service::make_zip({{"x.txt", {'h', 'i'}}});
    write_all(bad, std::string(zip.begin(), zip.end()));
    require_refused(f, bad, ErrorCode::InvalidArgument, "not an inkan backup");
  }
  SECTION("a consistent archive whose inkan.db differs from its manifest") {
    service::BackupArchiveReader reader(file);
    const auto manifest = service::parse_backup_manifest(reader.read_small("manifest.json", 1 << 20));
    // Same members, but the database's recorded checksum is wrong: only our SHA-256 notices.
    auto altered = manifest;
    altered.files[0].sha256 = std::string(64, 'a');
    const auto dir = f.dir.path() / "parts";
    std::filesystem::create_directory(dir);
    reader.extract_verified(manifest.files[0], dir / "inkan.db");
    write_all(dir / "manifest.json", service::to_json(altered));
    service::write_backup_archive(bad, {{"manifest.json", dir / "manifest.json"}, {"inkan.db", dir / "inkan.db"}}, {});
    require_refused(f, bad, ErrorCode::Integrity, "checksum mismatch in inkan.db");
  }
  SECTION("counts that do not match the database") {
    service::BackupArchiveReader reader(file);
    auto manifest = service::parse_backup_manifest(reader.read_small("manifest.json", 1 << 20));
    const auto dir = f.dir.path() / "parts";
    std::filesystem::create_directory(dir);
    reader.extract_verified(manifest.files[0], dir / "inkan.db");
    manifest.content.certificates += 1;
    write_all(dir / "manifest.json", service::to_json(manifest));
    service::write_backup_archive(bad, {{"manifest.json", dir / "manifest.json"}, {"inkan.db", dir / "inkan.db"}}, {});
    require_refused(f, bad, ErrorCode::Integrity, "certificates 3, manifest says 4");
  }
}

TEST_CASE("restore refuses a tampered audit chain even with matching checksums", "[backup]") {
  CaFixture f;
  const auto file = f.dir.path() / "good.inkanbak";
  service::create_backup(*f.store, f.unlock().data_key(), file, f.clock);
  service::BackupArchiveReader reader(file);
  auto manifest = service::parse_backup_manifest(reader.read_small("manifest.json", 1 << 20));
  const auto dir = f.dir.path() / "parts";
  std::filesystem::create_directory(dir);
  reader.extract_verified(manifest.files[0], dir / "inkan.db");
  {
    store_test::RawDb raw(dir / "inkan.db");
    raw.exec("DROP TRIGGER audit_log_no_update");  // an attacker owns the file, not the rules
    REQUIRE(raw.exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1") == "");
  }
  // Rebuild a self-consistent archive: sizes and SHA-256 match the altered database.
  const std::string bytes = read_all(dir / "inkan.db");
  manifest.files[0].size = bytes.size();
  manifest.files[0].sha256 = crypto::sha256_hex(std::string_view(bytes));
  write_all(dir / "manifest.json", service::to_json(manifest));
  const auto bad = f.dir.path() / "tampered.inkanbak";
  service::write_backup_archive(bad, {{"manifest.json", dir / "manifest.json"}, {"inkan.db", dir / "inkan.db"}}, {});
  require_refused(f, bad, ErrorCode::Integrity, "audit chain");
}

TEST_CASE("restore refuses a non-empty NEWDIR and a wrong passphrase", "[backup]") {
  CaFixture f;
  const auto file = f.dir.path() / "good.inkanbak";
  service::create_backup(*f.store, f.unlock().data_key(), file, f.clock);

  const auto busy = f.dir.path() / "busy";
  std::filesystem::create_directory(busy);
  write_all(busy / "keep.txt", "x");
  try {
    service::restore_backup(file, busy, {}, f.clock, f.actor);
    FAIL("restored into a non-empty directory");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::AlreadyExists);
    CHECK_THAT(e.what(), ContainsSubstring("not empty"));
  }
  CHECK(read_all(busy / "keep.txt") == "x");

  const auto empty = f.dir.path() / "empty";
  std::filesystem::create_directory(empty);
  try {
    service::restore_backup(file, empty, {std::string("not the passphrase")}, f.clock, f.actor);
    FAIL("a wrong passphrase was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::WrongPassphrase);
  }
  CHECK(std::filesystem::is_empty(empty));

  // An existing empty directory is fine.
  CHECK_NOTHROW(service::restore_backup(file, empty, with_passphrase(), f.clock, f.actor));
  CHECK(std::filesystem::exists(empty / "inkan.db"));
}

namespace {

// The review's attack on a backup (issue 14 item 5): take the database out, edit it, recompute
// the manifest's size and SHA-256 and zip it again, keeping (or dropping) manifest.mac.
std::filesystem::path tamper(CaFixture& f, const std::filesystem::path& good, bool keep_mac) {
  service::BackupArchiveReader reader(good);
  const auto mac = reader.read_small("manifest.mac", 256);
  auto manifest = service::parse_backup_manifest(reader.read_small("manifest.json", 1 << 20));
  const auto dir = f.dir.path() / ("tamper" + std::to_string(keep_mac));
  std::filesystem::create_directory(dir);
  reader.extract_verified(manifest.files[0], dir / "inkan.db");
  {
    store_test::RawDb raw(dir / "inkan.db");
    REQUIRE(raw.exec("UPDATE tenants SET name = 'Mallory Care' WHERE id = 'acme'") == "");
  }
  const std::string bytes = read_all(dir / "inkan.db");
  manifest.files[0].size = bytes.size();
  manifest.files[0].sha256 = crypto::sha256_hex(std::string_view(bytes));
  write_all(dir / "manifest.json", service::to_json(manifest));
  write_all(dir / "manifest.mac", mac);
  const auto bad = f.dir.path() / ("tampered" + std::to_string(keep_mac) + ".inkanbak");
  std::vector<service::ArchiveMember> members{{"manifest.json", dir / "manifest.json"}};
  if (keep_mac) members.push_back({"manifest.mac", dir / "manifest.mac"});
  members.push_back({"inkan.db", dir / "inkan.db"});
  service::write_backup_archive(bad, members, {});
  return bad;
}

}  // namespace

TEST_CASE("restore refuses an edited database whose manifest was recomputed (manifest.mac)", "[backup]") {
  CaFixture f;
  const auto file = f.dir.path() / "good.inkanbak";
  service::create_backup(*f.store, f.unlock().data_key(), file, f.clock);
  const auto target = f.dir.path() / "restored";

  SECTION("with the old MAC: it does not match") {
    const auto bad = tamper(f, file, true);
    try {
      service::restore_backup(bad, target, with_passphrase(), f.clock, f.actor);
      FAIL("a tampered backup restored");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::Integrity);
      CHECK_THAT(e.what(), ContainsSubstring("manifest.mac does not match"));
    }
    CHECK_FALSE(std::filesystem::exists(target));
  }
  SECTION("without a MAC: refused unless the operator accepts an unauthenticated file") {
    const auto bad = tamper(f, file, false);
    try {
      service::restore_backup(bad, target, with_passphrase(), f.clock, f.actor);
      FAIL("a backup without manifest.mac restored");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::Integrity);
      CHECK_THAT(e.what(), ContainsSubstring("no manifest.mac"));
    }
    auto options = with_passphrase();
    options.accept_unauthenticated = true;
    const auto r = service::restore_backup(bad, target, options, f.clock, f.actor);
    CHECK_FALSE(r.authenticated);
  }
  SECTION("without the passphrase nothing can be checked: refused") {
    try {
      service::restore_backup(file, target, {}, f.clock, f.actor);
      FAIL("restored without a passphrase");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::InvalidArgument);
    }
    CHECK_FALSE(std::filesystem::exists(target));
  }
  SECTION("the untouched backup is authenticated") {
    CHECK(service::restore_backup(file, target, with_passphrase(), f.clock, f.actor).authenticated);
  }
}
