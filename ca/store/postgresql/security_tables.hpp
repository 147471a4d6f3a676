#pragma once
// The keyed digest of the security tables on PostgreSQL (ca/store/store.hpp, SecurityTables).
// Triggers of the schema note a changed covered table in a transaction-local setting; the
// connection's before-commit hook (seal_changed) re-digests the noted tables inside the
// transaction. rows() spells every value as the SQLite store does, so the same rows give the same
// digest on either backend.
#include "ca/store/postgresql/connection.hpp"
#include "ca/store/store.hpp"

namespace inkan::pg {

class PgSecurityTables final : public SecurityTables {
 public:
  explicit PgSecurityTables(Connection& db) : db_(db) {}
  std::vector<std::string> tables() const override;
  void set_sealer(SecuritySealer sealer) override { sealer_ = std::move(sealer); }
  std::string rows(const std::string& table) const override;
  std::map<std::string, std::string> digests() const override;
  void reseal_all() override;
  // Before COMMIT: the digests of the tables this transaction changed, when a sealer is installed.
  void seal_changed();

 private:
  void store_digests(const std::map<std::string, std::string>& digests);
  Connection& db_;
  SecuritySealer sealer_;
};

}  // namespace inkan::pg
