#pragma once
// The keyed digest of the security tables (ca/store/store.hpp, SecurityTables): TEMP triggers on
// this connection note which covered table a transaction changed, and seal_changed() — called by
// the Store's transactions just before COMMIT — rewrites those tables' digests.
#include <SQLiteCpp/Database.h>

#include "ca/store/store.hpp"

namespace inkan::sqlite {

class SqliteSecurityTables final : public SecurityTables {
 public:
  // Creates this connection's TEMP table and triggers (after the migrations).
  explicit SqliteSecurityTables(SQLite::Database& db);
  std::vector<std::string> tables() const override;
  void set_sealer(SecuritySealer sealer) override { sealer_ = std::move(sealer); }
  std::string rows(const std::string& table) const override;
  std::map<std::string, std::string> digests() const override;
  void reseal_all() override;

  // Inside the transaction, before COMMIT: the digests of the tables changed since the last call,
  // when a sealer is installed; the notes are cleared either way.
  void seal_changed();

 private:
  void store_digests(const std::map<std::string, std::string>& digests);

  SQLite::Database& db_;
  SecuritySealer sealer_;
};

}  // namespace inkan::sqlite
