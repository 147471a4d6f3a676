#pragma once
// A real CA in a temp directory (real SQLite file, real keys) for service-level tests. EC keys
// keep it fast; the passphrase KDF keeps its production cost (600k iterations) on purpose.
#include <filesystem>
#include <memory>

#include "ca/crypto/rng.hpp"
#include "ca/service/keys/ca_setup.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/service/tenants.hpp"
#include "store/store_test_support.hpp"

namespace inkan::service_test {

inline constexpr const char* kPassphrase = "service test passphrase";

struct CaFixture {
  store_test::TempDir dir;
  FixedClock clock{parse_date_or_time("2026-01-15T09:00:00Z")};
  std::unique_ptr<crypto::Rng> rng = crypto::Rng::system();
  std::unique_ptr<Store> store;
  service::Actor actor{"test:fixture"};
  service::InitResult ca;

  explicit CaFixture(std::optional<std::string> crl_url = std::nullopt) {
    store = service::open_or_create_data_dir(dir.path() / "data");
    service::InitOptions o;
    o.name = "Fixture";
    o.root_key = KeyType::EcP256;
    o.issuing_key = KeyType::EcP256;
    o.crl_url = crl_url;
    ca = service::initialise_ca(*store, clock, *rng, kPassphrase, o, actor);
    service::Tenants(*store, clock, actor).add("acme", "Acme Care");
  }

  service::Keyring unlock() { return service::Keyring::unlock(*store, kPassphrase); }
};

}  // namespace inkan::service_test
