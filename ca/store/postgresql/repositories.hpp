#pragma once
// The PostgreSQL repositories. Each borrows the Store's single connection; the Store outlives
// them. Same semantics as ca/store/sqlite/repositories.hpp, which is the reference.
#include "ca/store/postgresql/connection.hpp"
#include "ca/store/store.hpp"

namespace inkan::pg {

class PgSettingsRepository final : public SettingsRepository {
 public:
  explicit PgSettingsRepository(Connection& db) : db_(db) {}
  std::optional<std::string> get(const std::string& key) const override;
  void put(const std::string& key, const std::string& value) override;

 private:
  Connection& db_;
};

class PgTenantRepository final : public TenantRepository {
 public:
  explicit PgTenantRepository(Connection& db) : db_(db) {}
  void add(const Tenant& tenant) override;
  std::optional<Tenant> find(const std::string& id) const override;
  std::vector<Tenant> list() const override;
  void set_renewal_window(const std::string& id, std::optional<int> days) override;
  void set_revoke_predecessor_after(const std::string& id, std::optional<int> days) override;
  void set_name(const std::string& id, const std::string& name) override;
  void set_retired(const std::string& id, std::optional<Timestamp> at) override;

 private:
  void update(const std::string& id, const std::string& sql, const Params& params, std::string_view doing);
  Connection& db_;
};

class PgCaRepository final : public CaRepository {
 public:
  explicit PgCaRepository(Connection& db) : db_(db) {}
  std::int64_t add(const CaRecord& ca) override;
  std::optional<CaRecord> find(std::int64_t id) const override;
  std::optional<CaRecord> active_issuing() const override;
  std::optional<CaRecord> root() const override;
  std::vector<CaRecord> list() const override;
  std::uint64_t next_crl_number(std::int64_t ca_id) override;
  std::optional<StoredCrl> published_crl(std::int64_t ca_id) const override;
  void put_published_crl(const StoredCrl& crl) override;
  void activate_issuing(std::int64_t id) override;
  std::optional<PendingCa> pending_issuing() const override;
  void put_pending_issuing(const PendingCa& pending) override;
  void clear_pending_issuing() override;
  bool replace_encrypted_key(std::int64_t id, const std::string& expected, const std::string& pem) override;
  void set_crl_url(std::int64_t id, const std::optional<std::string>& url) override;
  std::vector<CaCrlUrl> crl_urls() const override;

 private:
  Connection& db_;
};

class PgCertificateRepository final : public CertificateRepository {
 public:
  explicit PgCertificateRepository(Connection& db) : db_(db) {}
  void reserve(const Reservation& r) override;
  void commit_issued(const Serial& serial, const IssuedCertificate& issued) override;
  void drop_reservation(const Serial& serial) override;
  std::optional<CertificateRecord> find(const Serial& serial) const override;
  std::optional<CertificateRecord> find_by_sha256(const std::string& hex) const override;
  std::vector<CertificateRecord> list(const CertificateFilter& filter) const override;
  std::vector<CertificateRecord> reservations() const override;
  std::optional<Credential> credential(const Serial& serial) const override;
  void revoke(const Serial& serial, RevocationReason reason, Timestamp at) override;
  void correct_revocation_reason(const Serial& serial, RevocationReason reason) override;
  std::vector<Serial> serials_with_prefix(const std::string& hex_prefix, std::size_t limit) const override;
  std::vector<RevokedEntry> revoked(std::int64_t ca_id) const override;
  void set_notes(const Serial& serial, const std::string& notes) override;
  bool link_successor(const Serial& predecessor, const Serial& successor, bool allow_revoked) override;
  std::optional<CertificateRecord> find_successor_of(const Serial& serial) const override;
  std::vector<DuePredecessor> predecessors_due(Timestamp now, std::size_t limit) const override;

 private:
  std::optional<CertState> state_of(const Serial& serial) const;
  std::optional<CertificateRecord> first(const std::string& where, const Params& params) const;
  Connection& db_;
};

class PgOcspRepository final : public OcspRepository {
 public:
  explicit PgOcspRepository(Connection& db) : db_(db) {}
  void add_responder(const OcspResponderRecord& record) override;
  std::optional<OcspResponderRecord> current_responder(std::int64_t ca_id) const override;
  std::int64_t status_change_head() const override;
  std::vector<CertificateStatusChange> status_changes_after(std::int64_t seq, std::size_t limit) const override;

 private:
  Connection& db_;
};

class PgAuditLog final : public AuditLog {
 public:
  explicit PgAuditLog(Connection& db) : db_(db) {}
  void append(AuditEvent event) override;
  std::vector<AuditEvent> list(std::size_t limit, std::size_t offset) const override;
  std::vector<AuditEvent> query(const AuditQuery& q) const override;
  std::optional<AuditEvent> entry(std::int64_t seq) const override;
  std::optional<AuditEvent> head() const override;
  AuditVerification verify() const override;

 private:
  AuditVerification broken(std::int64_t seq, std::string problem) const;
  Connection& db_;
};

}  // namespace inkan::pg
