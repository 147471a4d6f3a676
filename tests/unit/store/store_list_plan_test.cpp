// Migration 0005: the list, filter and CRL queries read their rows in order from an index at
// scale (checked through SQLite's query plan, not through timing), and still answer right.
#include <sqlite3.h>

#include <catch2/catch_test_macros.hpp>

#include "ca/store/admin_repositories.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "store_test_support.hpp"

using namespace inkan;

namespace {

constexpr std::int64_t kBase = 1700000000;

// 20,000 issued rows over two tenants: one in 50 a tenant-admin, one in 10 revoked (reason
// keyCompromise on odd rows), one in 10 superseded; expiries spread over about three years.
std::int64_t fill(const std::filesystem::path& db, std::int64_t ca_id) {
  store_test::RawDb raw(db);
  const std::string sql =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)"
      " INSERT INTO certificates (serial, ca_id, tenant_id, cn, kind, key_type, state,"
      " requested_at, issued_at, not_before, not_after, sha256, cert_der, notes, revoked_at,"
      " revocation_reason)"
      " SELECT printf('5B%030X', i), " + std::to_string(ca_id) +
      ", CASE i % 3 WHEN 0 THEN 'acme' ELSE 'beta' END, printf('client%06d', i),"
      " CASE WHEN i % 50 = 0 THEN 'tenant-admin' ELSE 'terminal' END, 'ec-p256',"
      " CASE i % 10 WHEN 3 THEN 'revoked' WHEN 5 THEN 'superseded' ELSE 'active' END,"
      " 1700000000, 1700000000, 1700000000, 1700000000 + (i * 7919 % 20000) * 4730,"
      " printf('%064x', i), x'3082', '',"
      " CASE WHEN i % 10 = 3 THEN 1700000000 + (20000 - i) * 10 END,"
      " CASE WHEN i % 10 = 3 THEN i % 2 END FROM n";
  REQUIRE(raw.exec(sql) == "");
  return 20000;
}

std::vector<std::string> plan_of(const std::filesystem::path& db, const std::string& sql, std::int64_t ca_id) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_int64(st, 1, ca_id);
  std::vector<std::string> lines;
  while (sqlite3_step(st) == SQLITE_ROW) lines.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 3)));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return lines;
}

std::string joined(const std::vector<std::string>& plan) {
  std::string s;
  for (const auto& l : plan) s += l + "\n";
  return s;
}

bool sorts_every_match(const std::vector<std::string>& plan) {
  for (const auto& l : plan)
    if (l == "SCAN certificates" || l == "USE TEMP B-TREE FOR ORDER BY") return true;
  return false;
}

}  // namespace

TEST_CASE("store 0005: list filters of every tenant read their page in order from an index", "[store]") {
  store_test::TempDir dir;
  auto store = open_sqlite_store(dir.db());
  store->tenants().add(store_test::tenant("acme"));
  store->tenants().add(store_test::tenant("beta"));
  const auto ca_id = store->cas().add(store_test::issuing_ca());
  fill(dir.db(), ca_id);
  const Timestamp now = Timestamp(std::chrono::seconds(kBase + 10000LL * 4730));
  auto& queries = store->certificate_queries();

  CertificatePageQuery base;
  base.now = now;
  base.limit = 50;
  auto with = [&](auto change) {
    CertificatePageQuery q = base;
    change(q);
    return q;
  };
  std::vector<std::pair<const char*, CertificatePageQuery>> cases{
      {"all", base},
      {"active", with([](auto& q) { q.status = CertStatus::Active; })},
      {"superseded", with([](auto& q) { q.status = CertStatus::Superseded; })},
      {"revoked", with([](auto& q) { q.status = CertStatus::Revoked; })},
      {"expired", with([](auto& q) { q.status = CertStatus::Expired; })},
      {"kind", with([](auto& q) { q.kind = CertKind::TenantAdmin; })},
      {"expiring", with([&](auto& q) { q.expiring_before = now + std::chrono::days(30); })},
      {"deep page", with([](auto& q) { q.offset = 15000; })},
      {"tenant", with([](auto& q) { q.tenant_id = "acme"; })},
      {"tenant + kind", with([](auto& q) { q.tenant_id = "acme", q.kind = CertKind::TenantAdmin; })},
      {"tenant deep page", with([](auto& q) { q.tenant_id = "acme", q.offset = 5000; })},
  };
  for (const auto& [name, q] : cases) {
    const auto plan = queries.explain_page(q);
    INFO(name << "\n" << joined(plan));
    CHECK_FALSE(sorts_every_match(plan));
  }

  // The answers: every filter's total and first row agree with a plain walk of all rows.
  CertificateFilter all;
  all.now = now;
  const auto rows = store->certificates().list(all);
  REQUIRE(rows.size() == 20000);
  for (const auto& [name, q] : cases) {
    if (q.offset) continue;
    INFO(name);
    std::int64_t expected = 0;
    std::optional<Serial> first;
    for (const auto& r : rows) {  // list() is in (not_after, serial) order too
      const bool match = (!q.tenant_id || r.tenant_id == *q.tenant_id) && (!q.status || r.status_at(now) == *q.status) &&
                         (!q.kind || r.kind == *q.kind) &&
                         (!q.expiring_before || (r.not_after <= *q.expiring_before && r.not_after > now));
      if (!match) continue;
      if (!first) first = r.serial;
      ++expected;
    }
    const auto page = queries.page(q);
    CHECK(page.total == expected);
    REQUIRE_FALSE(page.rows.empty());
    CHECK(page.rows.front().serial == *first);
  }
}

TEST_CASE("store 0005: the CRL's revoked list comes from a covering index, in CRL order", "[store]") {
  store_test::TempDir dir;
  auto store = open_sqlite_store(dir.db());
  store->tenants().add(store_test::tenant("acme"));
  store->tenants().add(store_test::tenant("beta"));
  const auto ca_id = store->cas().add(store_test::issuing_ca());
  fill(dir.db(), ca_id);

  // The statement of SqliteCertificateRepository::revoked.
  const auto plan = plan_of(dir.db(),
                            "SELECT serial, revoked_at, revocation_reason FROM certificates"
                            " WHERE ca_id = ? AND state = 'revoked' ORDER BY revoked_at, serial",
                            ca_id);
  INFO(joined(plan));
  REQUIRE(plan.size() == 1);
  CHECK(plan.front().find("COVERING INDEX certificates_revoked_by_ca") != std::string::npos);

  const auto entries = store->certificates().revoked(ca_id);
  REQUIRE(entries.size() == 2000);
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const auto& a = entries[i - 1];
    const auto& b = entries[i];
    CHECK((a.revoked_at < b.revoked_at || (a.revoked_at == b.revoked_at && a.serial < b.serial)));
  }
  // Row 19993 was revoked first (revoked_at = base + 70), with reason keyCompromise (odd row).
  CHECK(entries.front().serial == Serial::parse("5B000000000000000000000000004E19"));
  CHECK(entries.front().reason == RevocationReason::KeyCompromise);
  CHECK(store->certificates().revoked(ca_id + 1).empty());
}

TEST_CASE("store: a capped count stops at count_limit and says so", "[store]") {
  store_test::TempDir dir;
  auto store = open_sqlite_store(dir.db());
  store->tenants().add(store_test::tenant("acme"));
  store->tenants().add(store_test::tenant("beta"));
  const auto ca_id = store->cas().add(store_test::issuing_ca());
  fill(dir.db(), ca_id);
  CertificatePageQuery q;
  q.now = Timestamp(std::chrono::seconds(kBase));
  q.limit = 50;

  auto exact = store->certificate_queries().page(q);
  CHECK(exact.total == 20000);
  CHECK_FALSE(exact.total_capped);

  q.count_limit = 1000;
  auto capped = store->certificate_queries().page(q);
  CHECK(capped.total == 1000);
  CHECK(capped.total_capped);
  CHECK(capped.rows.size() == 50);
  CHECK(capped.rows.front().serial == exact.rows.front().serial);

  q.count_limit = 20000;  // exactly as many as match: not capped
  auto at_limit = store->certificate_queries().page(q);
  CHECK(at_limit.total == 20000);
  CHECK_FALSE(at_limit.total_capped);

  q.count_limit = 1000;
  q.kind = CertKind::TenantAdmin;  // 400 match: below the cap, exact
  auto few = store->certificate_queries().page(q);
  CHECK(few.total == 400);
  CHECK_FALSE(few.total_capped);
}
