#include <SQLiteCpp/Statement.h>

#include "ca/store/sqlite/admin/admin_repositories.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {

void SqliteAdminSessionRepository::add(const AdminSession& s) {
  guarded("opening a session", [&] {
    SQLite::Statement st(db_,
                         "INSERT INTO admin_sessions (id_hash, user_id, csrf_token, created_at,"
                         " last_seen_at, client_cert_sha256) VALUES (?, ?, ?, ?, ?, ?)");
    st.bind(1, s.id_hash);
    st.bind(2, static_cast<int64_t>(s.user_id));
    st.bind(3, s.csrf_token);
    st.bind(4, static_cast<int64_t>(unix_seconds(s.created_at)));
    st.bind(5, static_cast<int64_t>(unix_seconds(s.last_seen_at)));
    if (s.client_cert_sha256)
      st.bind(6, *s.client_cert_sha256);
    else
      st.bind(6);
    st.exec();
  });
}

std::optional<AdminSession> SqliteAdminSessionRepository::find(const std::string& id_hash) const {
  return guarded("reading a session", [&]() -> std::optional<AdminSession> {
    SQLite::Statement st(db_,
                         "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at,"
                         " client_cert_sha256 FROM admin_sessions WHERE id_hash = ?");
    st.bind(1, id_hash);
    if (!st.executeStep()) return std::nullopt;
    AdminSession s;
    s.id_hash = st.getColumn(0).getString();
    s.user_id = st.getColumn(1).getInt64();
    s.csrf_token = st.getColumn(2).getString();
    s.created_at = read_time(st.getColumn(3));
    s.last_seen_at = read_time(st.getColumn(4));
    s.client_cert_sha256 = read_optional_text(st.getColumn(5));
    return s;
  });
}

void SqliteAdminSessionRepository::touch(const std::string& id_hash, Timestamp last_seen_at) {
  guarded("touching a session", [&] {
    SQLite::Statement st(db_, "UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?");
    st.bind(1, static_cast<int64_t>(unix_seconds(last_seen_at)));
    st.bind(2, id_hash);
    st.exec();
  });
}

void SqliteAdminSessionRepository::remove(const std::string& id_hash) {
  guarded("closing a session", [&] {
    SQLite::Statement st(db_, "DELETE FROM admin_sessions WHERE id_hash = ?");
    st.bind(1, id_hash);
    st.exec();
  });
}

void SqliteAdminSessionRepository::remove_for_user(std::int64_t user_id) {
  guarded("closing the sessions of an administrator", [&] {
    SQLite::Statement st(db_, "DELETE FROM admin_sessions WHERE user_id = ?");
    st.bind(1, static_cast<int64_t>(user_id));
    st.exec();
  });
}

std::size_t SqliteAdminSessionRepository::remove_expired(Timestamp idle_before,
                                                         Timestamp created_before) {
  return guarded("removing expired sessions", [&] {
    SQLite::Statement st(db_,
                         "DELETE FROM admin_sessions WHERE last_seen_at < ? OR created_at < ?");
    st.bind(1, static_cast<int64_t>(unix_seconds(idle_before)));
    st.bind(2, static_cast<int64_t>(unix_seconds(created_before)));
    return static_cast<std::size_t>(st.exec());
  });
}

}  // namespace inkan::sqlite
