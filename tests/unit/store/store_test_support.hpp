#pragma once
// Shared fixtures for the store tests: a private temp directory, sample records, and a raw
// SQLite handle for the few tests that must go around the store (tampering, trigger checks).
#include <sqlite3.h>
#include <stdlib.h>

#include <cctype>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "ca/domain/error.hpp"
#include "ca/domain/records.hpp"
#include "ca/domain/time.hpp"
#include "ca/store/postgresql/postgresql_store.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "postgres_server.hpp"

namespace inkan::store_test {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "inkan-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path db() const { return path_ / "inkan.db"; }

 private:
  std::filesystem::path path_;
};

// The store backends a test case runs against: `const auto backend = GENERATE(store_backends());`
// then `TestDatabase db(backend);` and `db.open()` for each connection (a second open() is a
// second connection to the same database, as a reopen or a second process).
inline constexpr const char* kSqlite = "sqlite";
inline constexpr const char* kPostgresql = "postgresql";
#define STORE_BACKENDS() Catch::Generators::values<std::string>({kSqlite, kPostgresql})

class TestDatabase {
 public:
  explicit TestDatabase(std::string backend) : backend_(std::move(backend)) {
    if (backend_ == kPostgresql) {
      uri_ = PostgresServer::instance().migrated_database();
      name_ = uri_.substr(uri_.find(":///") + 4, uri_.find('?') - uri_.find(":///") - 4);
    }
  }
  // Plain SQL around the store, for tests that prove it notices tampering: "" or the error.
  std::string exec(const std::string& sql) const;
  // The first column of the first row ("" when none).
  std::string text(const std::string& sql) const;
  // `DROP TRIGGER name` in this backend's syntax.
  std::string drop_trigger(const std::string& name, const std::string& table) const {
    return backend_ == kPostgresql ? "DROP TRIGGER " + name + " ON " + table : "DROP TRIGGER " + name;
  }
  std::unique_ptr<Store> open() const {
    if (backend_ == kPostgresql) return open_postgresql_store(uri_);
    return open_sqlite_store(dir_.db());
  }
  const std::string& backend() const { return backend_; }
  const std::string& uri() const { return uri_; }  // PostgreSQL only

 private:
  std::string backend_;
  TempDir dir_;
  std::string uri_;
  std::string name_;  // the PostgreSQL database's name
};

inline Timestamp at(std::string_view date) { return parse_date_or_time(date); }

inline Tenant tenant(const std::string& id) {
  return Tenant{id, "Tenant " + id, at("2024-01-01"), std::nullopt, std::nullopt, std::nullopt};
}

inline CaRecord issuing_ca() {
  CaRecord ca;
  ca.role = CaRole::Issuing;
  ca.subject = "CN=Test Issuing CA";
  ca.cert_der = {0x30, 0x82, 0x01, 0x00};
  ca.encrypted_key_pem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n...\n";
  ca.key_type = KeyType::Rsa3072;
  ca.not_before = at("2024-01-01");
  ca.not_after = at("2034-01-01");
  ca.active = true;
  return ca;
}

inline Reservation reservation(const Serial& serial, std::int64_t ca_id,
                               const std::string& tenant_id, Timestamp not_after) {
  Reservation r;
  r.serial = serial;
  r.ca_id = ca_id;
  r.tenant_id = tenant_id;
  r.cn = "terminal-" + serial.hex();
  r.requested_at = not_after - std::chrono::hours(24 * 365 * 3);
  r.not_before = r.requested_at;
  r.not_after = not_after;
  return r;
}

inline IssuedCertificate issued_for(const Serial& serial, Timestamp issued_at) {
  IssuedCertificate i;
  i.cert_der = {0x30, 0x82, 0x02, serial.bytes().back()};
  std::string hex = serial.hex();  // a distinct, well-formed lowercase fingerprint per serial
  for (auto& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  i.sha256 = std::string(64 - hex.size(), 'f') + hex;
  i.issued_at = issued_at;
  i.credential = Credential{{0x30, 0x80, 0x01}, P12Profile::Compat,
                            Bytes(12, 0x07), Bytes(40, 0x09)};
  return i;
}

// Reserves and commits in one go; returns the serial.
inline Serial issue(Store& store, std::uint8_t serial_byte, std::int64_t ca_id,
                    const std::string& tenant_id, Timestamp not_after) {
  const Serial s = Serial::from_bytes({0x5A, serial_byte});
  const Reservation r = reservation(s, ca_id, tenant_id, not_after);
  store.certificates().reserve(r);
  store.certificates().commit_issued(s, issued_for(s, r.requested_at));
  return s;
}

// Plain SQLite, bypassing the store: only for tests that prove the store notices tampering.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& file) {
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("open failed");
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  // Returns the error message, or "" on success.
  std::string exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return "";
    std::string text = message ? message : "error";
    sqlite3_free(message);
    return text;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

inline std::string TestDatabase::exec(const std::string& sql) const {
  if (backend_ != kPostgresql) return RawDb(dir_.db()).exec(sql);
  try {
    PostgresServer::instance().sql(name_, sql);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

inline std::string TestDatabase::text(const std::string& sql) const {
  if (backend_ != kPostgresql) return RawDb(dir_.db()).text(sql);
  return PostgresServer::instance().sql(name_, sql);
}

}  // namespace inkan::store_test
