#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include "ca/domain/time.hpp"
#include "ca/store/sqlite/admin/admin_repositories.hpp"
#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

constexpr const char* kSelect =
    "SELECT id, username, tenant_id, role, disabled, password_hash, created_at,"
    " password_changed_at, must_change_password, email, language FROM admin_users ";

AdminUser read_user(const SQLite::Statement& st) {
  AdminUser u;
  u.id = st.getColumn(0).getInt64();
  u.username = st.getColumn(1).getString();
  u.tenant_id = read_optional_text(st.getColumn(2));
  u.role = read_enum<AdminRole>(st.getColumn(3), parse_admin_role, "administrator role");
  u.disabled = st.getColumn(4).getInt() != 0;
  u.password_hash = st.getColumn(5).getString();
  u.created_at = read_time(st.getColumn(6));
  u.password_changed_at = read_time(st.getColumn(7));
  u.must_change_password = st.getColumn(8).getInt() != 0;
  u.email = read_optional_text(st.getColumn(9));
  u.language = read_enum<MailLanguage>(st.getColumn(10), parse_mail_language, "mail language");
  return u;
}

std::string user_label(std::int64_t id) { return "administrator #" + std::to_string(id); }

// A deleted account stays as a row (deleted_at set): the audit log names administrators by
// username and derives their tenant from this table, so the name must keep meaning that account.
constexpr const char* kLive = "deleted_at IS NULL";

}  // namespace

std::int64_t SqliteAdminUserRepository::add(const AdminUser& u) {
  try {
    SQLite::Statement st(db_,
                         "INSERT INTO admin_users (username, tenant_id, role, disabled,"
                         " password_hash, created_at, password_changed_at, must_change_password,"
                         " email, language)"
                         " VALUES (:username, :tenant, :role, :disabled, :hash, :created,"
                         " :changed, :must_change, :email, :language)");
    st.bind(":username", u.username);
    bind_text(st, ":tenant", u.tenant_id);
    st.bind(":role", std::string(to_string(u.role)));
    st.bind(":disabled", u.disabled ? 1 : 0);
    st.bind(":hash", u.password_hash);
    bind_time(st, ":created", u.created_at);
    bind_time(st, ":changed", u.password_changed_at);
    st.bind(":must_change", u.must_change_password ? 1 : 0);
    bind_text(st, ":email", u.email);
    st.bind(":language", std::string(to_string(u.language)));
    st.exec();
    return db_.getLastInsertRowid();
  } catch (const SQLite::Exception& e) {
    if (violates_unique(e, "admin_users.username")) {
      SQLite::Statement gone(db_, "SELECT deleted_at FROM admin_users WHERE username = ? AND deleted_at IS NOT NULL");
      gone.bind(1, u.username);
      if (gone.executeStep())
        throw Error(ErrorCode::AlreadyExists, "the username '" + u.username + "' belonged to an administrator deleted on " +
                                                  format_date(read_time(gone.getColumn(0))) +
                                                  "; a username is never reused, since the audit log names them: choose another");
      throw Error(ErrorCode::AlreadyExists, "administrator '" + u.username + "' already exists");
    }
    if (is_constraint(e, SQLITE_CONSTRAINT_FOREIGNKEY))
      throw Error(ErrorCode::NotFound, "unknown tenant '" + u.tenant_id.value_or("") + "'");
    throw store_error(e, "adding administrator '" + u.username + "'");
  }
}

std::optional<AdminUser> SqliteAdminUserRepository::find(std::int64_t id) const {
  return guarded("reading " + user_label(id), [&]() -> std::optional<AdminUser> {
    SQLite::Statement st(db_, std::string(kSelect) + "WHERE id = ? AND " + kLive);
    st.bind(1, static_cast<int64_t>(id));
    if (!st.executeStep()) return std::nullopt;
    return read_user(st);
  });
}

std::optional<AdminUser> SqliteAdminUserRepository::find_by_username(
    const std::string& username) const {
  return guarded("reading an administrator", [&]() -> std::optional<AdminUser> {
    SQLite::Statement st(db_, std::string(kSelect) + "WHERE username = ? AND " + kLive);
    st.bind(1, username);
    if (!st.executeStep()) return std::nullopt;
    return read_user(st);
  });
}

std::vector<AdminUser> SqliteAdminUserRepository::list(
    const std::optional<std::string>& tenant_id) const {
  return guarded("listing administrators", [&] {
    SQLite::Statement st(db_, std::string(kSelect) +
                                  (tenant_id ? "WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY username"
                                             : "WHERE deleted_at IS NULL ORDER BY username"));
    if (tenant_id) st.bind(1, *tenant_id);
    std::vector<AdminUser> out;
    while (st.executeStep()) out.push_back(read_user(st));
    return out;
  });
}

void SqliteAdminUserRepository::set_disabled(std::int64_t id, bool disabled) {
  const int changed = guarded("updating " + user_label(id), [&] {
    SQLite::Statement st(db_, "UPDATE admin_users SET disabled = ? WHERE id = ?");
    st.bind(1, disabled ? 1 : 0);
    st.bind(2, static_cast<int64_t>(id));
    return st.exec();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown " + user_label(id));
}

void SqliteAdminUserRepository::remove(std::int64_t id, Timestamp at) {
  const int changed = guarded("deleting " + user_label(id), [&] {
    SQLite::Statement st(db_,
                         "UPDATE admin_users SET deleted_at = :at, disabled = 1, password_hash = '', email = NULL"
                         " WHERE id = :id AND deleted_at IS NULL");
    bind_time(st, ":at", at);
    st.bind(":id", static_cast<int64_t>(id));
    const int n = st.exec();
    for (const char* sql : {"DELETE FROM admin_sessions WHERE user_id = ?", "DELETE FROM admin_certificates WHERE user_id = ?",
                            "DELETE FROM expiry_notices WHERE user_id = ?"}) {
      SQLite::Statement del(db_, sql);
      del.bind(1, static_cast<int64_t>(id));
      del.exec();
    }
    return n;
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown " + user_label(id));
}

void SqliteAdminUserRepository::set_password(std::int64_t id, const std::string& password_hash,
                                             Timestamp changed_at, bool must_change) {
  const int changed = guarded("updating " + user_label(id), [&] {
    SQLite::Statement st(db_,
                         "UPDATE admin_users SET password_hash = :hash, password_changed_at ="
                         " :changed, must_change_password = :must WHERE id = :id");
    st.bind(":hash", password_hash);
    bind_time(st, ":changed", changed_at);
    st.bind(":must", must_change ? 1 : 0);
    st.bind(":id", static_cast<int64_t>(id));
    return st.exec();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown " + user_label(id));
}

// --- the certificates each account logs in with (issue 14 item 4) -------------------------------

void SqliteAdminCertificateBindings::bind(const Serial& serial, std::int64_t user_id) {
  try {
    SQLite::Statement st(db_, "INSERT INTO admin_certificates (serial, user_id) VALUES (?, ?)");
    st.bind(1, serial.hex());
    st.bind(2, static_cast<int64_t>(user_id));
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (violates_unique(e, "admin_certificates.serial"))
      throw Error(ErrorCode::AlreadyExists, "certificate " + serial.hex() + " is already bound to an administrator");
    if (is_constraint(e, SQLITE_CONSTRAINT_FOREIGNKEY))
      throw Error(ErrorCode::NotFound, "unknown certificate " + serial.hex() + " or " + user_label(user_id));
    throw store_error(e, "binding certificate " + serial.hex());
  }
}

std::optional<std::int64_t> SqliteAdminCertificateBindings::owner(const Serial& serial) const {
  return guarded("reading a certificate's administrator", [&]() -> std::optional<std::int64_t> {
    SQLite::Statement st(db_, "SELECT user_id FROM admin_certificates WHERE serial = ?");
    st.bind(1, serial.hex());
    if (!st.executeStep()) return std::nullopt;
    return st.getColumn(0).getInt64();
  });
}

std::vector<Serial> SqliteAdminCertificateBindings::of_user(std::int64_t user_id) const {
  return guarded("reading " + user_label(user_id) + "'s certificates", [&] {
    SQLite::Statement st(db_, "SELECT serial FROM admin_certificates WHERE user_id = ? ORDER BY serial");
    st.bind(1, static_cast<int64_t>(user_id));
    std::vector<Serial> out;
    while (st.executeStep()) out.push_back(Serial::parse(st.getColumn(0).getString()));
    return out;
  });
}

std::vector<AdminUser> SqliteAdminCertificateBindings::without_usable_certificate(Timestamp now) const {
  return guarded("listing administrators without a certificate", [&] {
    SQLite::Statement st(db_, std::string(kSelect) +
                                  "WHERE disabled = 0 AND deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM admin_certificates b"
                                  " JOIN certificates c ON c.serial = b.serial WHERE b.user_id = admin_users.id"
                                  " AND c.state IN ('active', 'superseded') AND c.not_after > :now)"
                                  " ORDER BY username");
    bind_time(st, ":now", now);
    std::vector<AdminUser> out;
    while (st.executeStep()) out.push_back(read_user(st));
    return out;
  });
}

void SqliteAdminUserRepository::set_contact(std::int64_t id, const std::optional<std::string>& email,
                                            MailLanguage language) {
  const int changed = guarded("updating " + user_label(id), [&] {
    SQLite::Statement st(db_, "UPDATE admin_users SET email = :email, language = :language WHERE id = :id");
    bind_text(st, ":email", email);
    st.bind(":language", std::string(to_string(language)));
    st.bind(":id", static_cast<int64_t>(id));
    return st.exec();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown " + user_label(id));
}

}  // namespace inkan::sqlite
