// Tenants and CAs, on both store backends.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "store_test_support.hpp"

using namespace inkan;
using namespace inkan::store_test;

TEST_CASE("store: tenants are added, listed by id and found", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  Tenant with_window = tenant("zeta");
  with_window.renewal_window_days = 45;
  store->tenants().add(with_window);
  store->tenants().add(tenant("acme"));

  const auto all = store->tenants().list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == "acme");
  CHECK(all[1].id == "zeta");

  const auto zeta = store->tenants().find("zeta");
  REQUIRE(zeta);
  CHECK(zeta->name == "Tenant zeta");
  CHECK(zeta->created_at == at("2024-01-01"));
  CHECK(zeta->renewal_window_days == 45);
  CHECK_FALSE(store->tenants().find("acme")->renewal_window_days.has_value());
  CHECK_FALSE(store->tenants().find("nobody").has_value());
}

TEST_CASE("store: a duplicate tenant id is AlreadyExists naming it", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  store->tenants().add(tenant("acme"));
  try {
    store->tenants().add(tenant("acme"));
    FAIL("expected AlreadyExists");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::AlreadyExists);
    CHECK(std::string(e.what()) == "tenant 'acme' already exists");
  }
  CHECK(store->tenants().list().size() == 1);
}

TEST_CASE("store: CAs round-trip; active issuing and newest root are found", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  CHECK_FALSE(store->cas().active_issuing().has_value());
  CHECK_FALSE(store->cas().root().has_value());

  CaRecord root = issuing_ca();
  root.role = CaRole::Root;
  root.subject = "CN=Test Root";
  root.key_type = KeyType::EcP384;
  root.encrypted_key_pem = "";  // offline root
  root.active = false;
  const auto root_id = store->cas().add(root);

  CaRecord issuing = issuing_ca();
  issuing.parent_id = root_id;
  const auto issuing_id = store->cas().add(issuing);
  CHECK(issuing_id != root_id);

  const auto found = store->cas().find(issuing_id);
  REQUIRE(found);
  CHECK(found->id == issuing_id);
  CHECK(found->role == CaRole::Issuing);
  CHECK(found->subject == issuing.subject);
  CHECK(found->cert_der == issuing.cert_der);
  CHECK(found->encrypted_key_pem == issuing.encrypted_key_pem);
  CHECK(found->key_type == KeyType::Rsa3072);
  CHECK(found->not_before == issuing.not_before);
  CHECK(found->not_after == issuing.not_after);
  CHECK(found->active);
  CHECK(found->parent_id == root_id);

  CHECK(store->cas().active_issuing()->id == issuing_id);
  CHECK(store->cas().root()->id == root_id);
  CHECK(store->cas().root()->encrypted_key_pem.empty());
  CHECK(store->cas().list().size() == 2);
  CHECK_FALSE(store->cas().find(999).has_value());
}

TEST_CASE("store: a second active issuing CA is refused", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  store->cas().add(issuing_ca());
  try {
    store->cas().add(issuing_ca());
    FAIL("expected AlreadyExists");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::AlreadyExists);
  }
}

TEST_CASE("store: CRL numbers start at 1 and increase across reopen", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  std::int64_t ca = 0;
  {
    auto store = db.open();
    ca = store->cas().add(issuing_ca());
    CHECK(store->cas().next_crl_number(ca) == 1);
    CHECK(store->cas().next_crl_number(ca) == 2);
  }
  auto store = db.open();
  CHECK(store->cas().next_crl_number(ca) == 3);
  try {
    store->cas().next_crl_number(ca + 100);
    FAIL("expected NotFound");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::NotFound);
  }
}

TEST_CASE("store: a CA's published CRL is shared across connections and never goes back", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto writer = db.open();
  auto reader = db.open();  // another node on the same database
  const auto ca = writer->cas().add(issuing_ca());
  CHECK_FALSE(reader->cas().published_crl(ca).has_value());

  StoredCrl crl;
  crl.ca_id = ca;
  crl.number = writer->cas().next_crl_number(ca);
  crl.der = {0x30, 0x01, 0x02};
  crl.this_update = at("2024-01-01");
  crl.next_update = at("2024-01-08");
  crl.entries_digest = "digest-1";
  writer->cas().put_published_crl(crl);
  auto seen = reader->cas().published_crl(ca);
  REQUIRE(seen);
  CHECK(seen->number == 1);
  CHECK(seen->der == crl.der);
  CHECK(seen->this_update == at("2024-01-01"));
  CHECK(seen->next_update == at("2024-01-08"));
  CHECK(seen->entries_digest == "digest-1");

  StoredCrl newer = crl;
  newer.number = 2;
  newer.der = {0x30, 0x02};
  newer.entries_digest = "digest-2";
  writer->cas().put_published_crl(newer);
  CHECK(reader->cas().published_crl(ca)->number == 2);

  StoredCrl older = crl;  // a node that signed number 1 late must not replace number 2
  older.der = {0x30, 0x03};
  reader->cas().put_published_crl(older);
  CHECK(writer->cas().published_crl(ca)->number == 2);
  CHECK(writer->cas().published_crl(ca)->der == newer.der);
}
