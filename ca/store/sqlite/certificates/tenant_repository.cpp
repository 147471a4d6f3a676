#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include "ca/store/sqlite/columns.hpp"
#include "ca/store/sqlite/repositories.hpp"
#include "ca/store/sqlite/sql_errors.hpp"

namespace inkan::sqlite {
namespace {

constexpr const char* kColumns = "id, name, created_at, renewal_window_days, revoke_predecessor_after_days, retired_at";

Tenant read_tenant(const SQLite::Statement& st) {
  Tenant t;
  t.id = st.getColumn(0).getString();
  t.name = st.getColumn(1).getString();
  t.created_at = read_time(st.getColumn(2));
  if (!st.getColumn(3).isNull()) t.renewal_window_days = st.getColumn(3).getInt();
  if (!st.getColumn(4).isNull()) t.revoke_predecessor_after_days = st.getColumn(4).getInt();
  if (!st.getColumn(5).isNull()) t.retired_at = read_time(st.getColumn(5));
  return t;
}

}  // namespace

void SqliteTenantRepository::add(const Tenant& tenant) {
  try {
    auto st_lease = statements_.get("INSERT INTO tenants (id, name, created_at, renewal_window_days)"
                                    " VALUES (:id, :name, :created_at, :window)");
    auto& st = *st_lease;
    st.bind(":id", tenant.id);
    st.bind(":name", tenant.name);
    bind_time(st, ":created_at", tenant.created_at);
    if (tenant.renewal_window_days)
      st.bind(":window", *tenant.renewal_window_days);
    else
      st.bind(":window");
    st.exec();
  } catch (const SQLite::Exception& e) {
    if (is_constraint(e, SQLITE_CONSTRAINT_PRIMARYKEY))
      throw Error(ErrorCode::AlreadyExists, "tenant '" + tenant.id + "' already exists");
    throw store_error(e, "adding tenant '" + tenant.id + "'");
  }
}

std::optional<Tenant> SqliteTenantRepository::find(const std::string& id) const {
  return guarded("reading tenant '" + id + "'", [&]() -> std::optional<Tenant> {
    auto st_lease = statements_.get(std::string("SELECT ") + kColumns + " FROM tenants WHERE id = ?");
    auto& st = *st_lease;
    st.bind(1, id);
    if (!st.executeStep()) return std::nullopt;
    return read_tenant(st);
  });
}

std::vector<Tenant> SqliteTenantRepository::list() const {
  return guarded("listing tenants", [&] {
    auto st_lease = statements_.get(std::string("SELECT ") + kColumns + " FROM tenants ORDER BY id");
    auto& st = *st_lease;
    std::vector<Tenant> out;
    while (st.executeStep()) out.push_back(read_tenant(st));
    return out;
  });
}

void SqliteTenantRepository::set_renewal_window(const std::string& id, std::optional<int> days) {
  const int changed = guarded("updating tenant '" + id + "'", [&] {
    auto st_lease = statements_.get("UPDATE tenants SET renewal_window_days = :window WHERE id = :id");
    auto& st = *st_lease;
    st.bind(":id", id);
    if (days)
      st.bind(":window", *days);
    else
      st.bind(":window");
    return st.exec();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
}

void SqliteTenantRepository::set_revoke_predecessor_after(const std::string& id, std::optional<int> days) {
  const int changed = guarded("updating tenant '" + id + "'", [&] {
    auto st_lease = statements_.get("UPDATE tenants SET revoke_predecessor_after_days = :days WHERE id = :id");
    auto& st = *st_lease;
    st.bind(":id", id);
    if (days)
      st.bind(":days", *days);
    else
      st.bind(":days");
    return st.exec();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
}

void SqliteTenantRepository::set_name(const std::string& id, const std::string& name) {
  const int changed = guarded("renaming tenant '" + id + "'", [&] {
    auto st_lease = statements_.get("UPDATE tenants SET name = :name WHERE id = :id");
    auto& st = *st_lease;
    st.bind(":id", id);
    st.bind(":name", name);
    return st.exec();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
}

void SqliteTenantRepository::set_retired(const std::string& id, std::optional<Timestamp> at) {
  const int changed = guarded("updating tenant '" + id + "'", [&] {
    auto st_lease = statements_.get("UPDATE tenants SET retired_at = :at WHERE id = :id");
    auto& st = *st_lease;
    st.bind(":id", id);
    if (at)
      bind_time(st, ":at", *at);
    else
      st.bind(":at");
    return st.exec();
  });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
}

}  // namespace inkan::sqlite
