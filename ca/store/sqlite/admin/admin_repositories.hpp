#pragma once
// SQLite implementations of ca/store/admin_repositories.hpp. Each borrows the Store's single
// connection; the Store outlives them.
#include <SQLiteCpp/Database.h>

#include "ca/store/admin_repositories.hpp"

namespace inkan::sqlite {

class SqliteAdminUserRepository final : public AdminUserRepository {
 public:
  explicit SqliteAdminUserRepository(SQLite::Database& db) : db_(db) {}
  std::int64_t add(const AdminUser& user) override;
  std::optional<AdminUser> find(std::int64_t id) const override;
  std::optional<AdminUser> find_by_username(const std::string& username) const override;
  std::vector<AdminUser> list(const std::optional<std::string>& tenant_id) const override;
  void set_disabled(std::int64_t id, bool disabled) override;
  void remove(std::int64_t id, Timestamp at) override;
  void set_password(std::int64_t id, const std::string& password_hash, Timestamp changed_at,
                    bool must_change) override;
  void set_contact(std::int64_t id, const std::optional<std::string>& email, MailLanguage language) override;

 private:
  SQLite::Database& db_;
};

class SqliteAdminCertificateBindings final : public AdminCertificateBindings {
 public:
  explicit SqliteAdminCertificateBindings(SQLite::Database& db) : db_(db) {}
  void bind(const Serial& serial, std::int64_t user_id) override;
  std::optional<std::int64_t> owner(const Serial& serial) const override;
  std::vector<Serial> of_user(std::int64_t user_id) const override;
  std::vector<AdminUser> without_usable_certificate(Timestamp now) const override;

 private:
  SQLite::Database& db_;
};

class SqliteAdminSessionRepository final : public AdminSessionRepository {
 public:
  explicit SqliteAdminSessionRepository(SQLite::Database& db) : db_(db) {}
  void add(const AdminSession& session) override;
  std::optional<AdminSession> find(const std::string& id_hash) const override;
  void touch(const std::string& id_hash, Timestamp last_seen_at) override;
  void remove(const std::string& id_hash) override;
  void remove_for_user(std::int64_t user_id) override;
  std::size_t remove_expired(Timestamp idle_before, Timestamp created_before) override;

 private:
  SQLite::Database& db_;
};

class SqliteLoginRecordRepository final : public LoginRecordRepository {
 public:
  explicit SqliteLoginRecordRepository(SQLite::Database& db) : db_(db) {}
  void append(const LoginAttempt& attempt) override;
  std::vector<LoginAttempt> history(const LoginHistoryFilter& filter) const override;
  std::int64_t count(const std::optional<std::string>& tenant_id) const override;
  std::int64_t failures_of_user(std::int64_t user_id, Timestamp since) const override;
  std::int64_t failures_from_address(const std::string& address, Timestamp since) const override;
  std::int64_t failures_of_unknown_name(const std::string& username, Timestamp since) const override;
  ThrottleState throttle(ThrottleScope scope, const std::string& key) const override;
  void put_throttle(const ThrottleState& state) override;

 private:
  SQLite::Database& db_;
};

class SqliteCertificateQueries final : public CertificateQueries {
 public:
  explicit SqliteCertificateQueries(SQLite::Database& db) : db_(db) {}
  CertificatePage page(const CertificatePageQuery& query) const override;
  StatusCounts counts(const std::optional<std::string>& tenant_id, Timestamp now) const override;
  std::int64_t active_expiring(const std::optional<std::string>& tenant_id, Timestamp now,
                               std::chrono::days within) const override;
  std::vector<std::string> counted_tenants() const override;
  std::vector<std::string> explain_page(const CertificatePageQuery& query) const override;

 private:
  SQLite::Database& db_;
};

class SqliteExpiryNoticeRepository final : public ExpiryNoticeRepository {
 public:
  explicit SqliteExpiryNoticeRepository(SQLite::Database& db) : db_(db) {}
  std::vector<ExpiryCandidate> due(Timestamp until) const override;
  bool sent(const Serial& serial, std::string_view threshold, std::int64_t user_id) const override;
  void record(const Serial& serial, std::string_view threshold, std::int64_t user_id, Timestamp at) override;

 private:
  SQLite::Database& db_;
};

// The six, constructed together for SqliteStore.
struct SqliteAdminRepositories {
  explicit SqliteAdminRepositories(SQLite::Database& db)
      : users(db), bindings(db), sessions(db), logins(db), queries(db), notices(db) {}
  SqliteAdminUserRepository users;
  SqliteAdminCertificateBindings bindings;
  SqliteAdminSessionRepository sessions;
  SqliteLoginRecordRepository logins;
  SqliteCertificateQueries queries;
  SqliteExpiryNoticeRepository notices;
};

}  // namespace inkan::sqlite
