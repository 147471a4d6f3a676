#include "ca/store/postgresql/postgresql_store.hpp"

#include "ca/domain/error.hpp"
#include "ca/store/postgresql/connection.hpp"
#include "ca/store/postgresql/migrations.hpp"
#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/repositories.hpp"
#include "ca/store/postgresql/security_tables.hpp"
#include "ca/store/postgresql/transaction.hpp"

namespace inkan {
namespace pg {
namespace {

class PgTransaction final : public Transaction {
 public:
  explicit PgTransaction(Connection& db) : tx_(db) {}
  void commit() override { tx_.commit(); }

 private:
  WriteTransaction tx_;
};

// What this first slice of the backend does not hold yet: a clear refusal instead of a wrong
// answer (docs/operations.md, "Several nodes", lists what works).
[[noreturn]] void not_yet(std::string_view what) {
  throw Error(ErrorCode::Store, std::string(what) + " is not available on the PostgreSQL store yet (issue 22); "
                                                    "use the SQLite store for this installation");
}

class PgStore final : public Store {
 public:
  explicit PgStore(const std::string& uri) : db_(uri) {
    require_current_schema(db_);
    // The security tables' digests commit with the change (as SqliteTransaction::commit does).
    db_.set_before_commit([this] { security_.seal_changed(); });
  }

  std::unique_ptr<Transaction> begin() override { return std::make_unique<PgTransaction>(db_); }
  TenantRepository& tenants() override { return tenants_; }
  CaRepository& cas() override { return cas_; }
  CertificateRepository& certificates() override { return certificates_; }
  AuditLog& audit() override { return audit_; }
  SettingsRepository& settings() override { return settings_; }
  BatchJournal& batches() override { not_yet("the batch journal"); }
  ConsistencyChecks& consistency() override { not_yet("the consistency checks"); }
  OcspRepository& ocsp() override { return ocsp_; }
  // SQLite's integrity_check and foreign_key_check have no counterpart a node's role may run:
  // PostgreSQL enforces the foreign keys itself (they cannot be switched off per connection as
  // in SQLite), and page-level checks (amcheck) are the database operator's. What a node can
  // check is that the schema is still the one it was built for.
  IntegrityReport check_integrity() override {
    IntegrityReport report;
    try {
      require_current_schema(db_);
    } catch (const Error& e) {
      report.problems.push_back(std::string("schema: ") + e.what());
    }
    report.ok = report.problems.empty();
    return report;
  }
  void snapshot_to(const std::filesystem::path&, const SnapshotProgress&) override {
    not_yet("a snapshot (inkan backup)");
  }
  AdminUserRepository& admin_users() override { not_yet("the administrator accounts"); }
  AdminCertificateBindings& admin_certificates() override { not_yet("the administrator certificates"); }
  SecurityTables& security_tables() override { return security_; }
  AdminSessionRepository& admin_sessions() override { not_yet("the administrator sessions"); }
  LoginRecordRepository& logins() override { not_yet("the login history"); }
  CertificateQueries& certificate_queries() override { not_yet("the certificate queries"); }
  ExpiryNoticeRepository& expiry_notices() override { not_yet("the expiry notices"); }

 private:
  Connection db_;  // declared first: the repositories borrow it
  PgSecurityTables security_{db_};
  PgSettingsRepository settings_{db_};
  PgTenantRepository tenants_{db_};
  PgCaRepository cas_{db_};
  PgCertificateRepository certificates_{db_};
  PgAuditLog audit_{db_};
  PgOcspRepository ocsp_{db_};
};

}  // namespace
}  // namespace pg

bool is_postgresql_uri(std::string_view s) { return s.starts_with("postgresql://") || s.starts_with("postgres://"); }

std::unique_ptr<Store> open_postgresql_store(const std::string& uri) { return std::make_unique<pg::PgStore>(uri); }

PostgresqlMigration migrate_postgresql_store(const std::string& uri) {
  pg::Connection db(uri);
  const auto [from, to] = pg::migrate(db);
  return {from, to, db.describe()};
}

int postgresql_schema_version() { return pg::newest_schema_version(); }

std::string libpq_runtime_version() {
  const int v = PQlibVersion();  // e.g. 150018
  return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

}  // namespace inkan
