// The queries behind the management site's screens: counts, the expiring list, and the
// certificate list page with filters, search and pagination, which must stay on an index at
// 100,000 certificates (checked through the query plan, not through timing).
#include <catch2/catch_test_macros.hpp>

#include "admin_fixture.hpp"
#include "ca/service/admin/admin_queries.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/store/sqlite/sqlite_store.hpp"
#include "store/store_test_support.hpp"

using namespace inkan;
using namespace inkan::admin_test;
using namespace std::chrono_literals;

// A list request with some fields set (designated initializers would warn on g++ 12).
namespace {
template <typename Set>
service::CertificateListRequest where(Set set) {
  service::CertificateListRequest r;
  set(r);
  return r;
}
}  // namespace

namespace {

// A full table scan shows as "SCAN certificates" with no index named.
bool uses_an_index(const std::vector<std::string>& plan) {
  bool indexed = false;
  for (const auto& line : plan) {
    if (line == "SCAN certificates") return false;
    indexed = indexed || line.find("INDEX") != std::string::npos || line.find("PRIMARY KEY") != std::string::npos;
  }
  return indexed;
}

std::string joined(const std::vector<std::string>& plan) {
  std::string s;
  for (const auto& l : plan) s += l + "\n";
  return s;
}

}  // namespace

TEST_CASE("certificate list: filters, search, pagination, counts and expiring soon", "[admin]") {
  AdminFixture f;
  auto keyring = f.unlock();
  const auto a1 = f.issue(keyring, "acme", CertKind::Terminal, "client300");
  f.clock.advance(24h);
  const auto a2 = f.issue(keyring, "acme", CertKind::Terminal, "client301");
  f.clock.advance(24h);
  const auto a3 = f.issue(keyring, "acme", CertKind::TenantAdmin, "admin-acme");
  const auto b1 = f.issue(keyring, "beta", CertKind::Terminal, "client300");
  service::Revocation(*f.store, f.clock, f.actor).revoke(a2.serial, RevocationReason::KeyCompromise);

  service::AdminQueries q(*f.store, f.clock, service::TenantScope::of(f.alice));
  auto all = q.certificates({});
  REQUIRE(all.total == 3);
  CHECK(all.rows[0].serial == a1.serial);  // soonest expiry first
  CHECK(all.rows[0].cert_der.empty());
  CHECK(q.certificates(where([](auto& r) { r.status = CertStatus::Revoked; })).total == 1);
  CHECK(q.certificates(where([](auto& r) { r.status = CertStatus::Active; })).total == 2);
  CHECK(q.certificates(where([](auto& r) { r.kind = CertKind::TenantAdmin; })).rows.at(0).serial == a3.serial);
  CHECK(q.certificates(where([](auto& r) { r.search = "client30"; })).total == 2);
  CHECK(q.certificates(where([](auto& r) { r.search = "client301"; })).total == 1);
  CHECK(q.certificates(where([](auto& r) { r.search = "Client"; })).total == 0);  // CN prefix is exact
  const std::string prefix = a3.serial.hex().substr(0, 8);
  std::string lower = prefix;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(q.certificates(where([&](auto& r) { r.search = lower; })).rows.at(0).serial == a3.serial);  // serial, any case
  auto page2 = q.certificates(where([](auto& r) { r.page = 2; r.page_size = 2; }));
  CHECK(page2.total == 3);
  CHECK(page2.pages() == 2);
  REQUIRE(page2.rows.size() == 1);
  CHECK(page2.rows[0].serial == a3.serial);
  CHECK(code_of([&] { q.certificates(where([](auto& r) { r.page_size = 0; })); }) == ErrorCode::InvalidArgument);
  CHECK(code_of([&] { q.certificates(where([](auto& r) { r.page = 0; })); }) == ErrorCode::InvalidArgument);

  // Nothing expires within 90 days now; three years minus a month later, two do.
  CHECK(q.dashboard().expiring_total == 0);
  f.clock.advance(std::chrono::days(365 * 3 - 60));
  const auto d = q.dashboard();
  CHECK(d.counts.active == 2);
  CHECK(d.counts.revoked == 1);
  CHECK(d.expiring_total == 2);
  CHECK(d.expiring_soon.at(0).serial == a1.serial);
  CHECK(q.certificates(where([](auto& r) { r.expiring_within_days = 90; })).total == 2);
  f.clock.advance(std::chrono::days(90));
  CHECK(q.dashboard().counts.expired == 2);
  CHECK(q.certificates(where([](auto& r) { r.status = CertStatus::Expired; })).total == 2);
  (void)b1;
}

TEST_CASE("certificate list: a hundred thousand certificates stay on an index", "[admin][slow]") {
  store_test::TempDir dir;
  auto store = open_sqlite_store(dir.db());
  store->tenants().add(store_test::tenant("acme"));
  store->tenants().add(store_test::tenant("beta"));
  const auto ca_id = store->cas().add(store_test::issuing_ca());
  {
    // Direct inserts: 100,000 issued rows over two tenants, spread over three years of expiry.
    store_test::RawDb raw(dir.db());
    const std::string sql =
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
        " INSERT INTO certificates (serial, ca_id, tenant_id, cn, kind, key_type, state,"
        " requested_at, issued_at, not_before, not_after, sha256, cert_der, notes, revoked_at,"
        " revocation_reason)"
        " SELECT printf('5A%030X', i), " + std::to_string(ca_id) +
        ", CASE i % 2 WHEN 0 THEN 'acme' ELSE 'beta' END, printf('client%06d', i),"
        " CASE WHEN i % 50 = 0 THEN 'tenant-admin' ELSE 'terminal' END, 'ec-p256',"
        " CASE WHEN i % 97 = 0 THEN 'revoked' WHEN i % 13 = 0 THEN 'superseded' ELSE 'active' END,"
        " 1700000000, 1700000000, 1700000000, 1700000000 + i * 946, printf('%064x', i), x'3082', '',"
        " CASE WHEN i % 97 = 0 THEN 1700000001 END, CASE WHEN i % 97 = 0 THEN 1 END FROM n";
    REQUIRE(raw.exec(sql) == "");
  }
  const Timestamp now = Timestamp(std::chrono::seconds(1700000000LL + 50000LL * 946));
  auto& queries = store->certificate_queries();

  std::vector<std::pair<const char*, CertificatePageQuery>> cases;
  CertificatePageQuery base;
  base.now = now;
  base.limit = 50;
  auto with = [&](auto change) { CertificatePageQuery q = base; change(q); return q; };
  cases.push_back({"tenant", with([](auto& q) { q.tenant_id = "acme"; })});
  cases.push_back({"all tenants", base});
  cases.push_back({"tenant + active", with([](auto& q) { q.tenant_id = "acme"; q.status = CertStatus::Active; })});
  cases.push_back({"tenant + expired", with([](auto& q) { q.tenant_id = "acme"; q.status = CertStatus::Expired; })});
  cases.push_back({"tenant + revoked", with([](auto& q) { q.tenant_id = "acme"; q.status = CertStatus::Revoked; })});
  cases.push_back({"tenant + kind", with([](auto& q) { q.tenant_id = "acme"; q.kind = CertKind::TenantAdmin; })});
  cases.push_back({"tenant + expiring", with([&](auto& q) { q.tenant_id = "acme"; q.expiring_before = now + std::chrono::days(90); })});
  cases.push_back({"tenant + CN search", with([](auto& q) { q.tenant_id = "acme"; q.search = "client0421"; })});
  cases.push_back({"tenant + serial search", with([](auto& q) { q.tenant_id = "acme"; q.search = "5a00000000"; })});
  cases.push_back({"all + CN search", with([](auto& q) { q.search = "client0421"; })});
  cases.push_back({"deep page", with([](auto& q) { q.tenant_id = "acme"; q.offset = 40000; })});
  for (const auto& [name, q] : cases) {
    const auto plan = queries.explain_page(q);
    INFO(name << "\n" << joined(plan));
    CHECK(uses_an_index(plan));
  }

  // And the answers are right.
  CertificatePageQuery acme = base;
  acme.tenant_id = "acme";
  auto page = queries.page(acme);
  CHECK(page.total == 50000);
  CHECK(page.rows.size() == 50);
  CertificatePageQuery search = base;
  search.search = "client04210";
  CHECK(queries.page(search).total == 10);  // client042100 .. client042109
  const auto counts = queries.counts(std::string("acme"), now);
  CHECK(counts.active + counts.superseded + counts.expired + counts.revoked == 50000);
}
