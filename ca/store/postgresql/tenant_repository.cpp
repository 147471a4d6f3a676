#include "ca/store/postgresql/pg_errors.hpp"
#include "ca/store/postgresql/repositories.hpp"
#include "ca/store/postgresql/transaction.hpp"

namespace inkan::pg {
namespace {

constexpr const char* kSelect =
    "SELECT id, name, created_at, renewal_window_days, revoke_predecessor_after_days, retired_at FROM tenants ";

std::optional<int> optional_int(const Result& r, int row, int col) {
  if (r.is_null(row, col)) return std::nullopt;
  return static_cast<int>(r.integer(row, col));
}

Tenant read_tenant(const Result& r, int row) {
  return Tenant{r.text(row, 0),          r.text(row, 1),          r.time(row, 2), optional_int(r, row, 3),
                optional_int(r, row, 4), r.optional_time(row, 5)};
}

std::optional<std::int64_t> widen(std::optional<int> v) {
  if (!v) return std::nullopt;
  return *v;
}

}  // namespace

void PgTenantRepository::add(const Tenant& tenant) {
  try {
    write(db_, "INSERT INTO tenants (id, name, created_at, renewal_window_days) VALUES ($1, $2, $3, $4)",
                    Params().text(tenant.id).text(tenant.name).time(tenant.created_at).integer(
                        widen(tenant.renewal_window_days)));
  } catch (const PgError& e) {
    if (violates_unique(e, "tenants_pkey"))
      throw Error(ErrorCode::AlreadyExists, "tenant '" + tenant.id + "' already exists");
    throw store_error(e, "adding tenant '" + tenant.id + "'");
  }
}

std::optional<Tenant> PgTenantRepository::find(const std::string& id) const {
  return guarded("reading tenant '" + id + "'", [&]() -> std::optional<Tenant> {
    const Result r = db_.exec(std::string(kSelect) + "WHERE id = $1", Params().text(id));
    if (r.empty()) return std::nullopt;
    return read_tenant(r, 0);
  });
}

std::vector<Tenant> PgTenantRepository::list() const {
  return guarded("listing tenants", [&] {
    // COLLATE "C": byte order, as SQLite's BINARY collation sorts.
    const Result r = db_.exec(std::string(kSelect) + "ORDER BY id");
    std::vector<Tenant> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_tenant(r, i));
    return out;
  });
}

void PgTenantRepository::update(const std::string& id, const std::string& sql, const Params& params,
                                 std::string_view doing) {
  const auto changed = guarded(std::string(doing) + " '" + id + "'", [&] { return write(db_, sql, params).affected(); });
  if (changed == 0) throw Error(ErrorCode::NotFound, "unknown tenant '" + id + "'");
}

void PgTenantRepository::set_renewal_window(const std::string& id, std::optional<int> days) {
  update(id, "UPDATE tenants SET renewal_window_days = $2 WHERE id = $1", Params().text(id).integer(widen(days)),
         "updating tenant");
}

void PgTenantRepository::set_revoke_predecessor_after(const std::string& id, std::optional<int> days) {
  update(id, "UPDATE tenants SET revoke_predecessor_after_days = $2 WHERE id = $1",
         Params().text(id).integer(widen(days)), "updating tenant");
}

void PgTenantRepository::set_name(const std::string& id, const std::string& name) {
  update(id, "UPDATE tenants SET name = $2 WHERE id = $1", Params().text(id).text(name), "renaming tenant");
}

void PgTenantRepository::set_retired(const std::string& id, std::optional<Timestamp> at) {
  update(id, "UPDATE tenants SET retired_at = $2 WHERE id = $1", Params().text(id).time(at), "updating tenant");
}

}  // namespace inkan::pg
