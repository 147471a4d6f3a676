// The append-only, hash-chained audit log, on both store backends.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "store_test_support.hpp"

using namespace inkan;
using namespace inkan::store_test;

namespace {

AuditEvent event(const std::string& action, const std::string& object) {
  AuditEvent e;
  e.at = at("2025-01-02T03:04:05Z");
  e.actor = "cli:alice";
  e.action = action;
  e.object = object;
  e.detail = R"({"reason":"test"})";
  return e;
}

void append_three(Store& store) {
  store.audit().append(event("tenant.add", "tenant:acme"));
  store.audit().append(event("cert.issue", "cert:0A"));
  store.audit().append(event("cert.revoke", "cert:0A"));
}

}  // namespace

TEST_CASE("store: audit entries are chained and listed newest first", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  CHECK(store->audit().verify().ok);
  CHECK(store->audit().verify().entries == 0);
  append_three(*store);

  const auto entries = store->audit().list(0, 0);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].seq == 3);
  CHECK(entries[0].action == "cert.revoke");
  CHECK(entries[2].seq == 1);
  CHECK(entries[2].prev_hash == std::string(64, '0'));
  CHECK(entries[1].prev_hash == entries[2].hash);
  CHECK(entries[0].prev_hash == entries[1].hash);
  CHECK(entries[2].hash.size() == 64);
  CHECK(entries[2].actor == "cli:alice");
  CHECK(entries[2].object == "tenant:acme");
  CHECK(entries[2].detail == R"({"reason":"test"})");
  CHECK(entries[2].at == at("2025-01-02T03:04:05Z"));

  const auto page = store->audit().list(1, 1);
  REQUIRE(page.size() == 1);
  CHECK(page[0].seq == 2);

  const auto v = store->audit().verify();
  CHECK(v.ok);
  CHECK(v.entries == 3);
  CHECK_FALSE(v.first_bad_seq.has_value());
}

TEST_CASE("store: the audit chain continues across reopen", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  { auto store = db.open(); append_three(*store); }
  auto store = db.open();
  store->audit().append(event("password.reveal", "cert:0A"));
  CHECK(store->audit().list(1, 0)[0].seq == 4);
  CHECK(store->audit().verify().ok);
}

TEST_CASE("store: the hash is SHA-256 over the documented fields", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  AuditEvent e;
  e.at = Timestamp(std::chrono::seconds(1700000000));
  e.actor = "a";
  e.action = "b";
  e.object = "c";
  e.detail = "d";
  store->audit().append(e);
  // printf '%s\n1\n1700000000\na\nb\nc\nd' "$(printf '0%.0s' {1..64})" | sha256sum
  CHECK(store->audit().list(1, 0)[0].hash ==
        "0a0c627e2f7cac23ddff48e007a524bb4a570ccfae4af51eaaacd5d41f6b3705");
}

TEST_CASE("store: UPDATE and DELETE on the audit log are refused", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  { auto store = db.open(); append_three(*store); }
  auto& raw = db;
  CHECK(raw.exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
            .find("append-only") != std::string::npos);
  CHECK(raw.exec("DELETE FROM audit_log WHERE seq = 3").find("append-only") !=
        std::string::npos);
  CHECK(raw.text("SELECT actor FROM audit_log WHERE seq = 2") == "cli:alice");
}

TEST_CASE("store: verify finds the first tampered entry", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  { auto store = db.open(); append_three(*store); }
  {
    // An attacker with file access can drop the trigger; the chain still gives them away.
    auto& raw = db;
    REQUIRE(raw.exec(db.drop_trigger("audit_log_no_update", "audit_log")).empty());
    REQUIRE(raw.exec(db.drop_trigger("audit_log_no_delete", "audit_log")).empty());

    SECTION("an altered field") {
      REQUIRE(raw.exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").empty());
    }
    SECTION("a deleted entry") {
      REQUIRE(raw.exec("DELETE FROM audit_log WHERE seq = 2").empty());
    }
    SECTION("a recomputed hash without relinking") {
      REQUIRE(raw.exec("UPDATE audit_log SET hash = '" + std::string(64, 'b') +
                       "' WHERE seq = 2")
                  .empty());
    }
  }
  auto store = db.open();
  const auto v = store->audit().verify();
  CHECK_FALSE(v.ok);
  REQUIRE(v.first_bad_seq.has_value());
  CHECK(*v.first_bad_seq <= 3);
  CHECK(*v.first_bad_seq >= 2);
  CHECK_FALSE(v.problem.empty());
}
