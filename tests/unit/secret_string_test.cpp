// SecretString and the Keyring's masked passphrase (issue 7, passphrase hygiene).
#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <string>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/secrets/secret_string.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/keys/keyring.hpp"
#include "store/store_test_support.hpp"

using namespace inkan;

namespace {

// True when no octet of [p, p + n) is non-zero.
bool all_zero(const char* p, std::size_t n) {
  return std::all_of(p, p + n, [](char c) { return c == 0; });
}

}  // namespace

TEST_CASE("wipe clears the whole capacity, inline buffer included") {
  std::string shortie = "short pass";  // fits the inline (SSO) buffer
  const char* inline_buf = shortie.data();
  const auto cap = shortie.capacity();
  crypto::wipe(shortie);
  CHECK(shortie.empty());
  CHECK(all_zero(inline_buf, cap));

  std::string longer(100, 'x');
  longer.resize(10);  // the characters past size() are still in the heap block
  const char* heap_buf = longer.data();
  const auto heap_cap = longer.capacity();
  crypto::wipe(longer);
  CHECK(longer.empty());
  CHECK(heap_buf == longer.data());  // wiped in place, not reallocated
  CHECK(all_zero(heap_buf, heap_cap));
}

TEST_CASE("a moved-from SecretString keeps no copy of a short secret") {
  crypto::SecretString a(std::string("tiny secret"));
  const std::string_view before = a.view();
  const char* inline_buf = before.data();
  crypto::SecretString b(std::move(a));
  CHECK(b.view() == "tiny secret");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state is the point
  CHECK(all_zero(inline_buf, 11));
}

TEST_CASE("a short string moved into a SecretString is wiped at its source") {
  std::string source = "short secret";  // inline (SSO): moving copies, the source keeps the text
  const char* inline_buf = source.data();
  crypto::SecretString s(std::move(source));
  CHECK(s.view() == "short secret");
  CHECK(all_zero(inline_buf, 12));
}

TEST_CASE("the Keyring hands back the passphrase it was created with") {
  auto rng = crypto::Rng::deterministic(7);
  const std::string pass = "operator passphrase 1234";
  auto keyring = service::Keyring::create(pass, *rng);
  store_test::TempDir dir;
  auto store = service::open_or_create_data_dir(dir.path() / "data");
  keyring.store_wrapped(*store, *rng);
  CHECK(keyring.passphrase(*store).view() == pass);
  auto moved = std::move(keyring);
  CHECK(moved.passphrase(*store).view() == pass);
}
