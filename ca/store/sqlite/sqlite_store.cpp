#include "ca/store/sqlite/sqlite_store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "ca/store/sqlite/batch/batch_repositories.hpp"
#include "ca/store/sqlite/admin/admin_repositories.hpp"
#include "ca/store/sqlite/connection.hpp"
#include "ca/store/sqlite/migrations.hpp"
#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/security_tables.hpp"
#include "ca/store/sqlite/snapshot.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan {
namespace sqlite {
namespace {

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SQLite::Database& db, SqliteSecurityTables& security)
      : security_(security), gate_(db), tx_(guarded("starting a transaction", [&]() -> SQLite::Transaction {
          return SQLite::Transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
        })) {}
  // SQLite::Transaction rolls back in its destructor unless committed. The security tables'
  // digests are brought up to date inside the transaction, so they commit with the change.
  void commit() override {
    security_.seal_changed();
    guarded("committing", [&] { tx_.commit(); });
  }

 private:
  SqliteSecurityTables& security_;
  WriteGate gate_;  // declared first: released only after tx_ has committed or rolled back
  SQLite::Transaction tx_;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SQLite::Database db)
      : db_(std::move(db)),
        tenants_(db_),
        cas_(db_),
        certificates_(db_),
        audit_(db_),
        settings_(db_),
        batches_(db_),
        consistency_(db_),
        ocsp_(db_) {}

  std::unique_ptr<Transaction> begin() override {
    return std::make_unique<SqliteTransaction>(db_, security_);
  }
  TenantRepository& tenants() override { return tenants_; }
  CaRepository& cas() override { return cas_; }
  CertificateRepository& certificates() override { return certificates_; }
  AuditLog& audit() override { return audit_; }
  SettingsRepository& settings() override { return settings_; }
  BatchJournal& batches() override { return batches_; }
  ConsistencyChecks& consistency() override { return consistency_; }
  OcspRepository& ocsp() override { return ocsp_; }
  IntegrityReport check_integrity() override;
  void snapshot_to(const std::filesystem::path& target, const SnapshotProgress& progress) override {
    snapshot_database(db_, target, progress);
  }
  AdminUserRepository& admin_users() override { return admin_.users; }
  AdminCertificateBindings& admin_certificates() override { return admin_.bindings; }
  SecurityTables& security_tables() override { return security_; }
  AdminSessionRepository& admin_sessions() override { return admin_.sessions; }
  LoginRecordRepository& logins() override { return admin_.logins; }
  CertificateQueries& certificate_queries() override { return admin_.queries; }
  ExpiryNoticeRepository& expiry_notices() override { return admin_.notices; }

 private:
  SQLite::Database db_;  // declared first: the repositories borrow it
  SqliteSecurityTables security_{db_};
  SqliteAdminRepositories admin_{db_};
  SqliteTenantRepository tenants_;
  SqliteCaRepository cas_;
  SqliteCertificateRepository certificates_;
  SqliteAuditLog audit_;
  SqliteSettingsRepository settings_;
  SqliteBatchJournal batches_;
  SqliteConsistencyChecks consistency_;
  SqliteOcspRepository ocsp_;
};

IntegrityReport SqliteStore::check_integrity() {
  return guarded("checking database integrity", [&] {
    IntegrityReport report;
    SQLite::Statement pages(db_, "PRAGMA integrity_check");
    while (pages.executeStep()) {
      const std::string line = pages.getColumn(0).getString();
      if (line != "ok") report.problems.push_back("integrity: " + line);
    }
    // Columns: table, rowid, referenced table, foreign key index.
    SQLite::Statement keys(db_, "PRAGMA foreign_key_check");
    while (keys.executeStep()) {
      const std::string row = keys.getColumn(1).isNull() ? std::string("?")
                                                         : keys.getColumn(1).getString();
      report.problems.push_back("foreign key: " + keys.getColumn(0).getString() + " row " +
                                row + " refers to a missing " + keys.getColumn(2).getString() +
                                " row");
    }
    report.ok = report.problems.empty();
    return report;
  });
}

}  // namespace
}  // namespace sqlite

std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& db_file) {
  // Checked before the read-write open: that one would already switch journal modes and leave
  // -wal and -shm files. apply_migrations checks again inside its transaction (a race with a
  // newer inkan migrating right now).
  const SchemaVersions v = read_schema_versions(db_file);
  if (v.database > v.program) throw Error(ErrorCode::Store, sqlite::newer_schema_message(db_file, v.database, v.program));
  SQLite::Database db = sqlite::open_connection(db_file);
  sqlite::apply_migrations(db);
  return std::make_unique<sqlite::SqliteStore>(std::move(db));
}

}  // namespace inkan
