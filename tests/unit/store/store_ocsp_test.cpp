// The OCSP repository on both store backends: responder certificates (the newest notAfter is
// current, ended ones are dropped) and the status change log the schema's triggers fill.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "store_test_support.hpp"

using namespace inkan;
using namespace inkan::store_test;

namespace {

OcspResponderRecord responder(std::int64_t ca, std::uint8_t serial, Timestamp not_after, Timestamp created) {
  OcspResponderRecord r;
  r.ca_id = ca;
  r.serial = Serial::from_bytes({0x0C, serial});
  r.cert_der = {0x30, 0x00, serial};
  r.key_nonce = Bytes(12, 0x01);
  r.key_ciphertext = {0x00, 0xff, 0x00};
  r.not_before = created;
  r.not_after = not_after;
  r.created_at = created;
  return r;
}

}  // namespace

TEST_CASE("store: the current OCSP responder is the newest; ended ones are dropped", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  const auto ca = store->cas().add(issuing_ca());
  CHECK_FALSE(store->ocsp().current_responder(ca).has_value());
  store->ocsp().add_responder(responder(ca, 1, at("2025-02-01"), at("2025-01-01")));
  store->ocsp().add_responder(responder(ca, 2, at("2025-03-01"), at("2025-01-15")));
  const auto current = store->ocsp().current_responder(ca);
  REQUIRE(current);
  CHECK(current->serial == Serial::from_bytes({0x0C, 2}));
  CHECK(current->key_ciphertext == Bytes{0x00, 0xff, 0x00});
  CHECK(current->not_after == at("2025-03-01"));
  // A responder added after the first ended removes it.
  store->ocsp().add_responder(responder(ca, 3, at("2025-04-01"), at("2025-02-15")));
  CHECK(db.text("SELECT count(*) FROM ocsp_responders") == "2");
}

TEST_CASE("store: commits, revocations and reason corrections are logged as status changes", "[store]") {
  const std::string backend = GENERATE(STORE_BACKENDS());
  INFO("backend: " << backend);
  TestDatabase db(backend);
  auto store = db.open();
  store->tenants().add(tenant("acme"));
  const auto ca = store->cas().add(issuing_ca());
  CHECK(store->ocsp().status_change_head() == 0);
  const Serial s = issue(*store, 0x01, ca, "acme", at("2030-01-01"));
  const auto after_issue = store->ocsp().status_change_head();
  CHECK(after_issue == 1);
  store->certificates().revoke(s, RevocationReason::Unspecified, at("2026-01-01"));
  store->certificates().correct_revocation_reason(s, RevocationReason::KeyCompromise);
  const auto changes = store->ocsp().status_changes_after(after_issue, 10);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].seq == after_issue + 1);
  CHECK(changes[0].serial == s);
  CHECK(changes[1].seq == after_issue + 2);
  CHECK(store->ocsp().status_change_head() == after_issue + 2);
}
