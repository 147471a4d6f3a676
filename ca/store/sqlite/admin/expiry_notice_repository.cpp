// The notices of `inkan notify expiring` (schemas/sql/0012_expiry_notices.sql).
#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "ca/store/sqlite/admin/admin_repositories.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {

std::vector<ExpiryCandidate> SqliteExpiryNoticeRepository::due(Timestamp until) const {
  return guarded("listing certificates to announce", [&] {
    // The (state, not_after, serial) index gives the rows in notAfter order; sorted by tenant
    // here rather than in SQL, so that SQLite need not sort the whole range itself.
    SQLite::Statement st(db_,
                         "SELECT serial, tenant_id, cn, kind, not_after FROM certificates"
                         " WHERE state = 'active' AND not_after <= :until ORDER BY not_after, serial");
    bind_time(st, ":until", until);
    std::vector<ExpiryCandidate> out;
    while (st.executeStep()) {
      ExpiryCandidate c{Serial::parse(st.getColumn(0).getString()), st.getColumn(1).getString(),
                        st.getColumn(2).getString(), read_enum<CertKind>(st.getColumn(3), parse_cert_kind, "kind"),
                        read_time(st.getColumn(4))};
      out.push_back(std::move(c));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.tenant_id < b.tenant_id; });
    return out;
  });
}

bool SqliteExpiryNoticeRepository::sent(const Serial& serial, std::string_view threshold, std::int64_t user_id) const {
  return guarded("reading the expiry notices", [&] {
    SQLite::Statement st(db_,
                         "SELECT 1 FROM expiry_notices WHERE serial = :serial AND threshold = :threshold"
                         " AND user_id = :user");
    st.bind(":serial", serial.hex());
    st.bind(":threshold", std::string(threshold));
    st.bind(":user", static_cast<int64_t>(user_id));
    return st.executeStep();
  });
}

void SqliteExpiryNoticeRepository::record(const Serial& serial, std::string_view threshold, std::int64_t user_id,
                                          Timestamp at) {
  guarded("recording an expiry notice", [&] {
    SQLite::Statement st(db_,
                         "INSERT INTO expiry_notices (serial, threshold, user_id, sent_at)"
                         " VALUES (:serial, :threshold, :user, :at) ON CONFLICT DO NOTHING");
    st.bind(":serial", serial.hex());
    st.bind(":threshold", std::string(threshold));
    st.bind(":user", static_cast<int64_t>(user_id));
    bind_time(st, ":at", at);
    return st.exec();
  });
}

}  // namespace inkan::sqlite
