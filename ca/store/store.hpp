#pragma once
// Repository interfaces. Services depend on these; ca/store/sqlite implements them and is the
// only place that holds SQL.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/batch.hpp"
#include "ca/domain/records.hpp"

namespace inkan {

class TenantRepository {
 public:
  virtual ~TenantRepository() = default;
  // Throws Error(AlreadyExists) naming the id when it is taken.
  virtual void add(const Tenant& tenant) = 0;
  virtual std::optional<Tenant> find(const std::string& id) const = 0;
  virtual std::vector<Tenant> list() const = 0;  // ordered by id
  // Per-tenant renewal window override; nullopt = the installation default. NotFound if unknown.
  virtual void set_renewal_window(const std::string& id, std::optional<int> days) = 0;
  // Per-tenant predecessor revocation; nullopt = never. NotFound if unknown.
  virtual void set_revoke_predecessor_after(const std::string& id, std::optional<int> days) = 0;
  // The display name (O= of its future certificates). NotFound if unknown.
  virtual void set_name(const std::string& id, const std::string& name) = 0;
  // Retired at `at`, or reinstated with nullopt. NotFound if unknown.
  virtual void set_retired(const std::string& id, std::optional<Timestamp> at) = 0;
};

// A superseded certificate whose tenant revokes predecessors and whose time has come.
struct DuePredecessor {
  Serial serial;
  Serial successor;
  Timestamp due{};  // the successor's issue time + the tenant's days
  int days = 0;
};

class CaRepository {
 public:
  virtual ~CaRepository() = default;
  virtual std::int64_t add(const CaRecord& ca) = 0;  // returns the new id
  virtual std::optional<CaRecord> find(std::int64_t id) const = 0;
  virtual std::optional<CaRecord> active_issuing() const = 0;
  virtual std::optional<CaRecord> root() const = 0;  // the newest root
  virtual std::vector<CaRecord> list() const = 0;    // ordered by id
  // Increments and returns the CRL number of that CA (first call returns 1). Persisted, so
  // numbers strictly increase across runs.
  virtual std::uint64_t next_crl_number(std::int64_t ca_id) = 0;
  // The last CRL stored for that CA, shared by every node; put replaces it (within the
  // transaction that took its number, so a stored CRL's number only grows).
  virtual std::optional<StoredCrl> published_crl(std::int64_t ca_id) const = 0;
  virtual void put_published_crl(const StoredCrl& crl) = 0;

  // CA rollover. Makes `id` the one active issuing CA; the previous one becomes inactive and
  // keeps its key (it still signs the CRLs of its own certificates). NotFound if not issuing.
  virtual void activate_issuing(std::int64_t id) = 0;
  // The issuing CA waiting for an offline root's signature, if any; put replaces it.
  virtual std::optional<PendingCa> pending_issuing() const = 0;
  virtual void put_pending_issuing(const PendingCa& pending) = 0;
  virtual void clear_pending_issuing() = 0;

  // Passphrase change: replaces a held key's encryption, only while it is still `expected` (the
  // PEM the caller re-encrypted). Returns false when the row is missing or its key changed.
  virtual bool replace_encrypted_key(std::int64_t id, const std::string& expected, const std::string& pem) = 0;

  // The CRL URL this CA's new certificates name (nullopt: none). The URL is remembered for the
  // CA for good; AlreadyExists when it is, or was, another CA's. add() records crl_url the same way.
  virtual void set_crl_url(std::int64_t id, const std::optional<std::string>& url) = 0;
  // Every CRL URL any CA has used, by CA id, then URL.
  virtual std::vector<CaCrlUrl> crl_urls() const = 0;
};

class CertificateRepository {
 public:
  virtual ~CertificateRepository() = default;
  // Inserts a row in state Reserved. Throws Error(AlreadyExists) if the serial is taken.
  virtual void reserve(const Reservation& r) = 0;
  // Reserved -> Active, storing the signed certificate and the credential. Throws
  // Error(InvalidState) if the serial is not reserved.
  virtual void commit_issued(const Serial& serial, const IssuedCertificate& issued) = 0;
  // Deletes a Reserved row (issuance failed before anything left the process).
  virtual void drop_reservation(const Serial& serial) = 0;

  virtual std::optional<CertificateRecord> find(const Serial& serial) const = 0;
  virtual std::optional<CertificateRecord> find_by_sha256(const std::string& hex) const = 0;
  virtual std::vector<CertificateRecord> list(const CertificateFilter& filter) const = 0;
  virtual std::vector<CertificateRecord> reservations() const = 0;

  virtual std::optional<Credential> credential(const Serial& serial) const = 0;

  // Active/Superseded -> Revoked. Throws Error(InvalidState) when already revoked or reserved.
  virtual void revoke(const Serial& serial, RevocationReason reason, Timestamp at) = 0;
  // A revoked certificate's reason, corrected (the date stays). NotFound unless it is revoked.
  virtual void correct_revocation_reason(const Serial& serial, RevocationReason reason) = 0;
  // The serials (uppercase hex) starting with `hex_prefix`, at most `limit`, for the 8-digit
  // prefix every credential file name carries.
  virtual std::vector<Serial> serials_with_prefix(const std::string& hex_prefix, std::size_t limit) const = 0;
  virtual std::vector<RevokedEntry> revoked(std::int64_t ca_id) const = 0;

  virtual void set_notes(const Serial& serial, const std::string& notes) = 0;

  // Records `successor` on `predecessor`, only while it has none and is active (or revoked,
  // when allowed: an administrator's reissue). Active becomes superseded; a revoked certificate
  // stays revoked. Returns false when the condition no longer holds: the caller lost a race or
  // the certificate was revoked meanwhile. Run it in the transaction that commits the successor.
  virtual bool link_successor(const Serial& predecessor, const Serial& successor, bool allow_revoked) = 0;
  // The certificate, reserved or issued, whose predecessor is `serial` (at most one exists).
  virtual std::optional<CertificateRecord> find_successor_of(const Serial& serial) const = 0;
  // Superseded certificates of tenants with a predecessor policy, due at or before `now`,
  // oldest due first, at most `limit`.
  virtual std::vector<DuePredecessor> predecessors_due(Timestamp now, std::size_t limit) const = 0;
};

// The journal of `inkan batch` (ca/service/batch_*). Writes run inside the caller's transaction,
// so an item's state changes together with the certificate it describes.
class BatchJournal {
 public:
  virtual ~BatchJournal() = default;
  virtual std::optional<BatchJob> find_job(const std::string& job_key) const = 0;
  virtual std::optional<BatchJob> job(std::int64_t id) const = 0;
  // Inserts the job (state running, total = items.size()) and its items (state pending).
  // Error(AlreadyExists) when the key is taken. Returns the job id.
  virtual std::int64_t create_job(const BatchJob& job, const std::vector<BatchItem>& items) = 0;
  // Items in seq order, after `after_seq`, at most `limit` (0 = all); all states when nullopt.
  virtual std::vector<BatchItem> items(std::int64_t job_id, std::optional<BatchItemState> state,
                                       std::int64_t after_seq, std::size_t limit) const = 0;
  virtual BatchCounts counts(std::int64_t job_id) const = 0;
  // Conditional transitions; Error(InvalidState) when the item is not in the expected state.
  virtual void mark_reserved(std::int64_t job_id, std::int64_t seq, const Serial& new_serial) = 0;  // pending ->
  virtual void mark_committed(std::int64_t job_id, std::int64_t seq) = 0;                         // reserved ->
  virtual void mark_pending(std::int64_t job_id, std::int64_t seq) = 0;  // reserved -> (clears new_serial)
  virtual void mark_skipped(std::int64_t job_id, std::int64_t seq, const std::string& note) = 0;  // pending|reserved ->
  virtual void complete_job(std::int64_t job_id, Timestamp at) = 0;
  virtual void reopen_job(std::int64_t job_id) = 0;  // completed -> running (outputs are rebuilt)
  virtual std::vector<BatchJob> jobs(std::optional<BatchJobState> state) const = 0;  // by id
};

// Cross-table consistency that `inkan doctor` reports: each line names the rows involved.
class ConsistencyChecks {
 public:
  virtual ~ConsistencyChecks() = default;
  // Successor and predecessor pointers that do not point at each other (issued rows only).
  virtual std::vector<std::string> lineage_problems(std::size_t limit) const = 0;
  // Journal items whose state contradicts the certificates table (a committed item without its
  // certificate, a reserved item without its reservation, a reissue not linked to its successor).
  virtual std::vector<std::string> journal_problems(std::size_t limit) const = 0;
};

struct AuditVerification {
  bool ok = true;
  std::int64_t entries = 0;
  std::optional<std::int64_t> first_bad_seq;  // where the chain breaks
  std::string problem;
};

// One page of the audit log, newest first by (at, seq). Every filter that is set must hold.
struct AuditQuery {
  std::optional<Timestamp> since;         // at >= since
  std::optional<Timestamp> until;         // at < until
  std::optional<std::string> tenant_id;   // entries about this tenant's objects
  std::optional<std::string> object;      // exact, e.g. "cert:<serial hex>"
  std::optional<std::string> actor;       // exact, e.g. "admin:hanako"
  std::optional<std::string> action;      // exact, e.g. "password.reveal"
  std::optional<std::int64_t> before_seq;  // keyset paging: only entries older than this one
  std::size_t limit = 100;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Fills seq, prev_hash, hash and tenant_id; the caller fills at, actor, action, object, detail.
  virtual void append(AuditEvent event) = 0;
  virtual std::vector<AuditEvent> list(std::size_t limit, std::size_t offset) const = 0;  // newest first
  virtual std::vector<AuditEvent> query(const AuditQuery& q) const = 0;
  virtual std::optional<AuditEvent> entry(std::int64_t seq) const = 0;
  virtual std::optional<AuditEvent> head() const = 0;  // the newest entry (highest seq)
  // Recomputes the whole chain from the genesis hash, and checks each stored tenant index.
  virtual AuditVerification verify() const = 0;
};

// Small named values: configuration and the wrapped data key.
class SettingsRepository {
 public:
  virtual ~SettingsRepository() = default;
  virtual std::optional<std::string> get(const std::string& key) const = 0;
  virtual void put(const std::string& key, const std::string& value) = 0;
};

// RAII transaction: begun in the constructor, rolled back in the destructor unless committed.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual void commit() = 0;
};

struct IntegrityReport {
  bool ok = true;
  std::vector<std::string> problems;
};

// What a database holds, as recorded in a backup's manifest and checked again on restore.
struct StoreSummary {
  int schema_version = 0;
  std::int64_t certificates = 0;  // every row, reservations included
  std::int64_t tenants = 0;
  std::int64_t cas = 0;
  std::int64_t audit_entries = 0;
  std::string audit_head_hash;  // hash of the newest audit entry, empty when the log is empty
  bool operator==(const StoreSummary&) const = default;
};

// A delegated OCSP responder certificate and its sealed key (ca/service/ocsp).
struct OcspResponderRecord {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t ca_id = 0;
  Serial serial = Serial::from_bytes({1});
  Bytes cert_der;
  Bytes key_nonce;       // DataKey::seal of the PKCS#8 DER, bound to the serial
  Bytes key_ciphertext;
  Timestamp not_before{};
  Timestamp not_after{};
  Timestamp created_at{};
};

// One change of a certificate's state, numbered in commit order (a trigger records them).
struct CertificateStatusChange {
  std::int64_t seq = 0;
  Serial serial = Serial::from_bytes({1});
};

class OcspRepository {
 public:
  virtual ~OcspRepository() = default;
  // Stores a new responder certificate; the CA's responders that ended before `record.created_at`
  // are deleted.
  virtual void add_responder(const OcspResponderRecord& record) = 0;
  // The CA's responder with the latest notAfter, if any.
  virtual std::optional<OcspResponderRecord> current_responder(std::int64_t ca_id) const = 0;
  // The newest change's number, 0 when none: the cheap question a responder asks often.
  virtual std::int64_t status_change_head() const = 0;
  // Changes numbered after `seq`, oldest first, at most `limit`. Only the newest 10,000 are
  // kept: when the first returned is not seq + 1, some were lost.
  virtual std::vector<CertificateStatusChange> status_changes_after(std::int64_t seq, std::size_t limit) const = 0;
};

// The tables that decide who may do what (issue 14 item 5): admin_users, admin_certificates,
// cas, settings and tenants. They are outside the audit chain, so each has a keyed digest (an
// HMAC under a key derived from the data key) stored in the setting `integrity.security_tables`.
// The store keeps it current in one place: every transaction of a Store that changed a covered
// table (SQLite TEMP triggers note which) recomputes that table's digest before it commits,
// provided whoever holds the data key installed the sealer. Without one, the digest is left as
// it was, so `doctor` reports the change: a write without the passphrase is indistinguishable
// from an edit made with sqlite3.
using SecuritySealer = std::function<std::string(std::string_view table, std::string_view rows)>;

class SecurityTables {
 public:
  virtual ~SecurityTables() = default;
  static constexpr const char* kDigestSetting = "integrity.security_tables";
  virtual std::vector<std::string> tables() const = 0;
  virtual void set_sealer(SecuritySealer sealer) = 0;
  // Every row of `table` (every column, named and typed, in key order) as one string; settings
  // without the digest setting itself.
  virtual std::string rows(const std::string& table) const = 0;
  // table -> digest as stored; tables never sealed are absent.
  virtual std::map<std::string, std::string> digests() const = 0;
  // Recomputes every table's digest now, in the caller's transaction or one of its own (`init`,
  // `doctor --reseal`). Error(InvalidState) without a sealer.
  virtual void reseal_all() = 0;
};

class AdminUserRepository;
class AdminCertificateBindings;
class AdminSessionRepository;
class LoginRecordRepository;
class CertificateQueries;
class ExpiryNoticeRepository;

// Called after each copied chunk of a snapshot with (pages copied, pages in total).
using SnapshotProgress = std::function<void(std::int64_t done, std::int64_t total)>;

class Store {
 public:
  virtual ~Store() = default;
  // BEGIN IMMEDIATE: takes the write lock at once, for read-then-write sequences.
  virtual std::unique_ptr<Transaction> begin() = 0;

  virtual TenantRepository& tenants() = 0;
  virtual CaRepository& cas() = 0;
  virtual CertificateRepository& certificates() = 0;
  virtual AuditLog& audit() = 0;
  virtual SettingsRepository& settings() = 0;
  virtual BatchJournal& batches() = 0;
  virtual ConsistencyChecks& consistency() = 0;
  virtual OcspRepository& ocsp() = 0;

  // PRAGMA integrity_check and foreign_key_check.
  virtual IntegrityReport check_integrity() = 0;

  // Copies one consistent state of the whole database into the new file `target` (created
  // 0600; Error(AlreadyExists) if it exists) through SQLite's online backup API, while other
  // connections and processes keep writing. The copy is self-contained (no -wal file). Must not
  // be called inside a transaction of this Store.
  virtual void snapshot_to(const std::filesystem::path& target,
                           const SnapshotProgress& progress) = 0;

  // The management site (ca/store/admin_repositories.hpp).
  virtual AdminUserRepository& admin_users() = 0;
  virtual AdminCertificateBindings& admin_certificates() = 0;
  virtual SecurityTables& security_tables() = 0;
  virtual AdminSessionRepository& admin_sessions() = 0;
  virtual LoginRecordRepository& logins() = 0;
  virtual CertificateQueries& certificate_queries() = 0;
  // Expiry mail (ca/store/admin_repositories.hpp).
  virtual ExpiryNoticeRepository& expiry_notices() = 0;
};

}  // namespace inkan
