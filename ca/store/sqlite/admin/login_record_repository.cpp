#include <SQLiteCpp/Statement.h>

#include "ca/store/sqlite/admin/admin_repositories.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

// Mirrors is_evaluated_failure: every result but success and locked.
constexpr const char* kEvaluatedFailure = " AND result NOT IN ('success', 'locked')";

LoginAttempt read_attempt(const SQLite::Statement& st) {
  LoginAttempt a;
  a.id = st.getColumn(0).getInt64();
  a.at = read_time(st.getColumn(1));
  a.username = st.getColumn(2).getString();
  if (!st.getColumn(3).isNull()) a.user_id = st.getColumn(3).getInt64();
  a.tenant_id = read_optional_text(st.getColumn(4));
  a.address = st.getColumn(5).getString();
  a.cert_serial = read_optional_serial(st.getColumn(6));
  a.result = read_enum<LoginResult>(st.getColumn(7), parse_login_result, "login result");
  return a;
}

}  // namespace

void SqliteLoginRecordRepository::append(const LoginAttempt& a) {
  guarded("recording a login attempt", [&] {
    SQLite::Statement st(db_,
                         "INSERT INTO login_history (at, username, user_id, tenant_id, address,"
                         " cert_serial, result) VALUES (:at, :username, :user, :tenant, :address,"
                         " :serial, :result)");
    bind_time(st, ":at", a.at);
    st.bind(":username", a.username);
    if (a.user_id)
      st.bind(":user", static_cast<int64_t>(*a.user_id));
    else
      st.bind(":user");
    bind_text(st, ":tenant", a.tenant_id);
    st.bind(":address", a.address);
    bind_serial(st, ":serial", a.cert_serial);
    st.bind(":result", std::string(to_string(a.result)));
    st.exec();
  });
}

std::vector<LoginAttempt> SqliteLoginRecordRepository::history(
    const LoginHistoryFilter& filter) const {
  return guarded("reading the login history", [&] {
    std::string sql =
        "SELECT id, at, username, user_id, tenant_id, address, cert_serial, result"
        " FROM login_history ";
    if (filter.tenant_id) sql += "WHERE tenant_id = :tenant ";
    sql += "ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset";
    SQLite::Statement st(db_, sql);
    if (filter.tenant_id) st.bind(":tenant", *filter.tenant_id);
    st.bind(":limit", static_cast<int64_t>(filter.limit));
    st.bind(":offset", static_cast<int64_t>(filter.offset));
    std::vector<LoginAttempt> out;
    while (st.executeStep()) out.push_back(read_attempt(st));
    return out;
  });
}

std::int64_t SqliteLoginRecordRepository::count(const std::optional<std::string>& tenant_id) const {
  return guarded("counting the login history", [&] {
    SQLite::Statement st(db_, tenant_id ? "SELECT count(*) FROM login_history WHERE tenant_id = ?"
                                        : "SELECT count(*) FROM login_history");
    if (tenant_id) st.bind(1, *tenant_id);
    st.executeStep();
    return st.getColumn(0).getInt64();
  });
}

std::int64_t SqliteLoginRecordRepository::failures_of_user(std::int64_t user_id,
                                                           Timestamp since) const {
  return guarded("counting login failures", [&] {
    SQLite::Statement st(db_, std::string("SELECT count(*) FROM login_history"
                                          " WHERE user_id = ? AND at >= ?") +
                                  kEvaluatedFailure);
    st.bind(1, static_cast<int64_t>(user_id));
    st.bind(2, static_cast<int64_t>(unix_seconds(since)));
    st.executeStep();
    return st.getColumn(0).getInt64();
  });
}

std::int64_t SqliteLoginRecordRepository::failures_from_address(const std::string& address,
                                                                Timestamp since) const {
  return guarded("counting login failures", [&] {
    SQLite::Statement st(db_, std::string("SELECT count(*) FROM login_history"
                                          " WHERE address = ? AND at >= ?") +
                                  kEvaluatedFailure);
    st.bind(1, address);
    st.bind(2, static_cast<int64_t>(unix_seconds(since)));
    st.executeStep();
    return st.getColumn(0).getInt64();
  });
}

std::int64_t SqliteLoginRecordRepository::failures_of_unknown_name(const std::string& username,
                                                                   Timestamp since) const {
  return guarded("counting login failures", [&] {
    SQLite::Statement st(db_, std::string("SELECT count(*) FROM login_history"
                                          " WHERE user_id IS NULL AND username = ? AND at >= ?") +
                                  kEvaluatedFailure);
    st.bind(1, username);
    st.bind(2, static_cast<int64_t>(unix_seconds(since)));
    st.executeStep();
    return st.getColumn(0).getInt64();
  });
}

ThrottleState SqliteLoginRecordRepository::throttle(ThrottleScope scope,
                                                    const std::string& key) const {
  return guarded("reading a login throttle", [&] {
    SQLite::Statement st(db_,
                         "SELECT consecutive_failures, locked_until FROM login_throttle"
                         " WHERE scope = ? AND key = ?");
    st.bind(1, std::string(to_string(scope)));
    st.bind(2, key);
    ThrottleState t{scope, key, 0, std::nullopt};
    if (st.executeStep()) {
      t.consecutive_failures = st.getColumn(0).getInt();
      t.locked_until = read_optional_time(st.getColumn(1));
    }
    return t;
  });
}

void SqliteLoginRecordRepository::put_throttle(const ThrottleState& t) {
  guarded("writing a login throttle", [&] {
    SQLite::Statement st(db_,
                         "INSERT INTO login_throttle (scope, key, consecutive_failures,"
                         " locked_until) VALUES (:scope, :key, :n, :until)"
                         " ON CONFLICT (scope, key) DO UPDATE SET"
                         " consecutive_failures = excluded.consecutive_failures,"
                         " locked_until = excluded.locked_until");
    st.bind(":scope", std::string(to_string(t.scope)));
    st.bind(":key", t.key);
    st.bind(":n", t.consecutive_failures);
    bind_time(st, ":until", t.locked_until);
    st.exec();
  });
}

}  // namespace inkan::sqlite
