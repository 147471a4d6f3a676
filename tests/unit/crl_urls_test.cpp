// Each issuing CA's CRL URL (issue 16 item 1): the derived URL after a rollover, the path the
// appliance serves it at, the file name `inkan crl --all --out-dir` writes, and the store's rule
// that one URL never leads to two CAs' CRLs.
#include <catch2/catch_test_macros.hpp>

#include "ca/domain/error.hpp"
#include "ca/policy/crl_urls.hpp"
#include "service_fixture.hpp"
#include "ca/service/keys/crl_urls.hpp"

using namespace inkan;

TEST_CASE("a rollover's CRL URL is the previous one with -ca<id> before the extension", "[crl-url]") {
  CHECK(policy::derived_crl_url("http://ca.example/pki/inkan.crl", 3) == "http://ca.example/pki/inkan-ca3.crl");
  CHECK(policy::derived_crl_url("http://ca.example/pki/inkan-ca3.crl", 5) == "http://ca.example/pki/inkan-ca5.crl");
  CHECK(policy::derived_crl_url("https://ca.example:8443/crl", 4) == "https://ca.example:8443/crl-ca4");
  CHECK(policy::derived_crl_url("http://ca.example/a.b/crl.der", 2) == "http://ca.example/a.b/crl-ca2.der");
  // "-cab" is not an earlier rollover's suffix: kept.
  CHECK(policy::derived_crl_url("http://h/x-cab.crl", 7) == "http://h/x-cab-ca7.crl");
  for (auto bad : {"http://h/crl?ca=1", "http://h/crl#x", "http://h/pki/", "http://h"})
    CHECK_THROWS_AS(policy::derived_crl_url(bad, 2), Error);
}

TEST_CASE("the path and the file name of a CRL URL", "[crl-url]") {
  CHECK(policy::crl_url_path("http://h:80/pki/a.crl?x=1") == "/pki/a.crl");
  CHECK(policy::crl_url_path("http://h") == "/");
  CHECK(policy::crl_file_name("http://h/pki/inkan-ca3.crl") == "inkan-ca3.crl");
  CHECK(policy::crl_file_name("http://h/pki/") == "");
  CHECK(policy::crl_file_name("http://h/%2e%2e") == "");
  CHECK(policy::crl_file_name("http://h/..") == "");
}

TEST_CASE("a CRL URL belongs to one CA for good", "[crl-url]") {
  service_test::CaFixture f(std::string("http://ca.example/pki/inkan.crl"));
  auto& store = *f.store;
  const auto first = store.cas().active_issuing()->id;
  CHECK(store.cas().find(first)->crl_url == "http://ca.example/pki/inkan.crl");

  service::set_crl_url(store, f.clock, f.actor, first, "http://ca.example/pki/second.crl");
  auto urls = store.cas().crl_urls();
  REQUIRE(urls.size() == 2);
  CHECK(service::ca_for_crl_path(store, "/pki/inkan.crl") == first);  // earlier certificates still lead here
  CHECK(service::ca_for_crl_path(store, "/pki/second.crl") == first);
  CHECK_FALSE(service::ca_for_crl_path(store, "/pki/other.crl").has_value());

  // Another issuing CA cannot take the URL, nor the same path on another host.
  CaRecord other = *store.cas().find(first);
  other.id = 0;
  other.active = false;
  other.crl_url.reset();
  other.subject += " 2";
  const auto second = store.cas().add(other);
  CHECK_THROWS_AS(service::set_crl_url(store, f.clock, f.actor, second, "http://ca.example/pki/inkan.crl"),
                  Error);
  CHECK_THROWS_AS(service::set_crl_url(store, f.clock, f.actor, second, "http://other.example/pki/second.crl"),
                  Error);
  CHECK_THROWS_AS(store.cas().set_crl_url(second, "http://ca.example/pki/inkan.crl"), Error);
  CHECK_FALSE(store.cas().find(second)->crl_url.has_value());
  service::set_crl_url(store, f.clock, f.actor, second, "http://ca.example/pki/inkan-ca9.crl");
  CHECK(service::ca_for_crl_path(store, "/pki/inkan-ca9.crl") == second);
}
