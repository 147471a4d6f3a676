#pragma once
// Repository interfaces of the management site (issue 5): administrator accounts, sessions,
// login history with throttling, and the certificate queries behind its screens. Implemented
// in ca/store/sqlite like every other repository.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/admin.hpp"
#include "ca/domain/records.hpp"

namespace inkan {

class AdminUserRepository {
 public:
  virtual ~AdminUserRepository() = default;
  // Returns the new id. Error(AlreadyExists) when the username is taken; Error(NotFound) when
  // the tenant does not exist.
  virtual std::int64_t add(const AdminUser& user) = 0;
  virtual std::optional<AdminUser> find(std::int64_t id) const = 0;
  virtual std::optional<AdminUser> find_by_username(const std::string& username) const = 0;
  // Ordered by username; every tenant when nullopt (operators included), else only that tenant.
  virtual std::vector<AdminUser> list(const std::optional<std::string>& tenant_id) const = 0;
  // Error(NotFound) for an unknown id.
  virtual void set_disabled(std::int64_t id, bool disabled) = 0;
  // Deletes the account as of `at`: its sessions, certificate bindings and notices go, and no read
  // finds it again; the row stays as a tombstone so its username keeps naming it in the audit log
  // and login history, and is never given to another account. NotFound if unknown.
  virtual void remove(std::int64_t id, Timestamp at) = 0;
  virtual void set_password(std::int64_t id, const std::string& password_hash, Timestamp changed_at,
                            bool must_change) = 0;
  // The address and language of the administrator's mail. Error(NotFound) for an unknown id.
  virtual void set_contact(std::int64_t id, const std::optional<std::string>& email, MailLanguage language) = 0;
};

// A certificate `inkan notify expiring` may announce.
struct ExpiryCandidate {
  Serial serial;
  std::string tenant_id;
  std::string common_name;
  CertKind kind = CertKind::Terminal;
  Timestamp not_after{};
};

// The notices of `inkan notify expiring` (migration 0012): which certificate was announced to
// which administrator at which threshold.
class ExpiryNoticeRepository {
 public:
  virtual ~ExpiryNoticeRepository() = default;
  // Certificates in state active (neither renewed nor revoked) whose notAfter <= until, by
  // tenant, then notAfter, then serial; from the (state, not_after, serial) index.
  virtual std::vector<ExpiryCandidate> due(Timestamp until) const = 0;
  virtual bool sent(const Serial& serial, std::string_view threshold, std::int64_t user_id) const = 0;
  // Idempotent: a notice recorded twice stays one row.
  virtual void record(const Serial& serial, std::string_view threshold, std::int64_t user_id, Timestamp at) = 0;
};

// Which administrator account a tenant-admin or operator certificate logs in (issue 14 item 4).
class AdminCertificateBindings {
 public:
  virtual ~AdminCertificateBindings() = default;
  // Binds the certificate to the account. Error(AlreadyExists) when it is bound already (to
  // anyone); Error(NotFound) for an unknown serial or account.
  virtual void bind(const Serial& serial, std::int64_t user_id) = 0;
  // The account the certificate is bound to, if any.
  virtual std::optional<std::int64_t> owner(const Serial& serial) const = 0;
  // Serials bound to the account, in serial order.
  virtual std::vector<Serial> of_user(std::int64_t user_id) const = 0;
  // Enabled accounts with no bound certificate that is active or superseded and not expired at
  // `now`, by username: they cannot log in while certificates are required.
  virtual std::vector<AdminUser> without_usable_certificate(Timestamp now) const = 0;
};

class AdminSessionRepository {
 public:
  virtual ~AdminSessionRepository() = default;
  virtual void add(const AdminSession& session) = 0;
  virtual std::optional<AdminSession> find(const std::string& id_hash) const = 0;
  virtual void touch(const std::string& id_hash, Timestamp last_seen_at) = 0;
  virtual void remove(const std::string& id_hash) = 0;
  // Every session of the user (disable, password change, reset).
  virtual void remove_for_user(std::int64_t user_id) = 0;
  // Sessions idle since before `idle_before` or created before `created_before`.
  virtual std::size_t remove_expired(Timestamp idle_before, Timestamp created_before) = 0;
};

struct LoginHistoryFilter {
  std::optional<std::string> tenant_id;  // nullopt: every row (operators)
  std::size_t limit = 100;
  std::size_t offset = 0;
};

class LoginRecordRepository {
 public:
  virtual ~LoginRecordRepository() = default;
  virtual void append(const LoginAttempt& attempt) = 0;
  // Newest first.
  virtual std::vector<LoginAttempt> history(const LoginHistoryFilter& filter) const = 0;
  virtual std::int64_t count(const std::optional<std::string>& tenant_id) const = 0;
  // Evaluated failures (is_evaluated_failure) since `since`, for the hourly caps.
  virtual std::int64_t failures_of_user(std::int64_t user_id, Timestamp since) const = 0;
  virtual std::int64_t failures_from_address(const std::string& address, Timestamp since) const = 0;
  // Evaluated failures of attempts with this username and no account (user_id NULL).
  virtual std::int64_t failures_of_unknown_name(const std::string& username, Timestamp since) const = 0;

  // Throttle counters; a missing row reads as no failures and no lock.
  virtual ThrottleState throttle(ThrottleScope scope, const std::string& key) const = 0;
  virtual void put_throttle(const ThrottleState& state) = 0;
};

// The certificate list page (証明書管理): filters, search and a page with its total.
struct CertificatePageQuery {
  std::optional<std::string> tenant_id;  // nullopt: every tenant (operators)
  std::optional<CertStatus> status;
  std::optional<CertKind> kind;
  std::optional<Timestamp> expiring_before;  // not expired at `now`, notAfter <= this
  // Prefix of the CN, or of the serial (hex, case-insensitive); matches either.
  std::optional<std::string> search;
  Timestamp now{};
  std::size_t limit = 50;
  std::size_t offset = 0;
  // Counting stops after this many matches (0: count them all). An exact count walks every
  // matching index entry: about 80 ms of CPU for a million, too slow for a page.
  std::size_t count_limit = 0;
};

struct CertificatePage {
  std::vector<CertificateRecord> rows;  // cert_der is left empty: list pages never need it
  std::int64_t total = 0;               // matching rows, ignoring limit and offset
  bool total_capped = false;            // more than count_limit matched: total is count_limit
};

struct StatusCounts {
  std::int64_t active = 0;
  std::int64_t superseded = 0;
  std::int64_t expired = 0;
  std::int64_t revoked = 0;
};

class CertificateQueries {
 public:
  virtual ~CertificateQueries() = default;
  virtual CertificatePage page(const CertificatePageQuery& query) const = 0;
  virtual StatusCounts counts(const std::optional<std::string>& tenant_id, Timestamp now) const = 0;
  // Active certificates whose notAfter is in (now, now + within]: the day buckets of
  // certificate_counts between the first and the last day, those two days exactly from the index
  // (the metrics of `serve`, scraped every 15 s at 1,000,000 certificates).
  virtual std::int64_t active_expiring(const std::optional<std::string>& tenant_id, Timestamp now,
                                       std::chrono::days within) const = 0;
  // The tenant ids that have counted certificates, for per-tenant gauges.
  virtual std::vector<std::string> counted_tenants() const = 0;
  // SQLite's EXPLAIN QUERY PLAN of the page query (its detail lines), so tests and benchmarks
  // can prove that the list stays on an index at 100,000 certificates.
  virtual std::vector<std::string> explain_page(const CertificatePageQuery& query) const = 0;
};

}  // namespace inkan
