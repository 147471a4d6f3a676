#include "ca/store/sqlite/bulk_load.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "ca/store/audit_chain.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/connection.hpp"
#include "ca/store/sqlite/migrations.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan {
namespace {

// Big enough that one transaction's index pages stay in memory, small enough to bound the WAL.
constexpr std::int64_t kRowsPerTransaction = 100'000;

}  // namespace

std::int64_t bulk_load_certificates(const std::filesystem::path& db_file, const CertificateSource& next) {
  SQLite::Database db = sqlite::open_connection(db_file);
  sqlite::apply_migrations(db);
  return sqlite::guarded("bulk-loading certificates", [&] {
    db.exec("PRAGMA cache_size = -262144");  // 256 MiB for this connection only
    SQLite::Statement st(
        db,
        "INSERT INTO certificates (serial, ca_id, tenant_id, cn, kind, key_type, email, state,"
        " requested_at, issued_at, not_before, not_after, sha256, cert_der, predecessor, successor,"
        " revoked_at, revocation_reason, notes)"
        " VALUES (:serial, :ca_id, :tenant, :cn, :kind, :key_type, :email, :state, :requested_at,"
        " :issued_at, :nb, :na, :sha256, :der, :predecessor, :successor, :revoked_at, :reason, :notes)");
    std::int64_t count = 0;
    bool more = true;
    while (more) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      // A superseded row names its successor, which comes next: check keys at commit.
      db.exec("PRAGMA defer_foreign_keys = ON");
      for (std::int64_t i = 0; i < kRowsPerTransaction; ++i) {
        CertificateRecord c;
        if (!(more = next(c))) break;
        st.reset();
        st.clearBindings();
        st.bind(":serial", c.serial.hex());
        st.bind(":ca_id", static_cast<int64_t>(c.ca_id));
        st.bind(":tenant", c.tenant_id);
        st.bind(":cn", c.cn);
        st.bind(":kind", std::string(to_string(c.kind)));
        st.bind(":key_type", std::string(to_string(c.key_type)));
        sqlite::bind_text(st, ":email", c.email);
        st.bind(":state", std::string(to_string(c.state)));
        sqlite::bind_time(st, ":requested_at", c.requested_at);
        sqlite::bind_time(st, ":issued_at", c.issued_at);
        sqlite::bind_time(st, ":nb", c.not_before);
        sqlite::bind_time(st, ":na", c.not_after);
        st.bind(":sha256", c.sha256);
        sqlite::bind_bytes(st, ":der", c.cert_der);
        sqlite::bind_serial(st, ":predecessor", c.predecessor);
        sqlite::bind_serial(st, ":successor", c.successor);
        sqlite::bind_time(st, ":revoked_at", c.revoked_at);
        if (c.revocation_reason) st.bind(":reason", static_cast<int>(*c.revocation_reason));
        st.bind(":notes", c.notes);
        st.exec();
        ++count;
      }
      tx.commit();
    }
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return count;
  });
}

std::int64_t bulk_load_audit(const std::filesystem::path& db_file, const AuditSource& next) {
  SQLite::Database db = sqlite::open_connection(db_file);
  sqlite::apply_migrations(db);
  return sqlite::guarded("bulk-loading audit entries", [&] {
    db.exec("PRAGMA cache_size = -262144");
    std::int64_t seq = 0;
    std::string prev = kGenesisHash;
    {
      SQLite::Statement head(db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
      if (head.executeStep()) seq = head.getColumn(0).getInt64(), prev = head.getColumn(1).getString();
    }
    SQLite::Statement st(db,
                         "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash, tenant_id)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::int64_t count = 0;
    bool more = true;
    while (more) {
      SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
      for (std::int64_t i = 0; i < kRowsPerTransaction; ++i) {
        AuditEvent e;
        if (!(more = next(e))) break;
        e.seq = ++seq;
        e.prev_hash = prev;
        e.hash = audit_hash(e);
        prev = e.hash;
        st.reset();
        st.clearBindings();
        st.bind(1, static_cast<int64_t>(e.seq));
        st.bind(2, static_cast<int64_t>(sqlite::unix_seconds(e.at)));
        st.bind(3, e.actor);
        st.bind(4, e.action);
        st.bind(5, e.object);
        st.bind(6, e.detail);
        st.bind(7, e.prev_hash);
        st.bind(8, e.hash);
        if (e.tenant_id) st.bind(9, *e.tenant_id);
        st.exec();
        ++count;
      }
      tx.commit();
    }
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return count;
  });
}

}  // namespace inkan
