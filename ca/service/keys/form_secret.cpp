#include "ca/service/keys/form_secret.hpp"

#include "ca/domain/error.hpp"
#include "ca/service/hex.hpp"

namespace inkan::service {
namespace {

// Settings values: "<since, unix seconds>:<nonce hex>:<ciphertext hex>".
constexpr const char* kCurrent = "web.form_secret";
constexpr const char* kPrevious = "web.form_secret_previous";

// Binds a ciphertext to its creation time: a value moved to `previous` keeps opening, one edited
// to look newer does not.
std::string seal_context(std::int64_t since) { return "inkan form secret v1|" + std::to_string(since); }

struct Opened {
  Bytes secret;
  Timestamp since{};
};

Opened open_value(const crypto::DataKey& key, const std::string& value) {
  const auto a = value.find(':');
  const auto b = a == std::string::npos ? a : value.find(':', a + 1);
  if (b == std::string::npos) throw Error(ErrorCode::Integrity, "the stored form secret is malformed");
  std::int64_t since = 0;
  try {
    since = std::stoll(value.substr(0, a));
  } catch (const std::exception&) {
    throw Error(ErrorCode::Integrity, "the stored form secret is malformed");
  }
  crypto::Sealed sealed{hex_decode(value.substr(a + 1, b - a - 1)), hex_decode(value.substr(b + 1))};
  const auto plain = key.open(sealed, seal_context(since));
  return {hex_decode(plain), Timestamp(std::chrono::seconds(since))};
}

std::string seal_value(const crypto::DataKey& key, const Bytes& secret, Timestamp since, crypto::Rng& rng) {
  const auto s = since.time_since_epoch().count();
  auto sealed = key.seal(hex_encode(secret), seal_context(s), rng);
  return std::to_string(s) + ":" + hex_encode(sealed.nonce) + ":" + hex_encode(sealed.ciphertext);
}

}  // namespace

std::optional<FormSecrets> FormSecretStore::load() const {
  auto& settings = store_.settings();
  auto current = settings.get(kCurrent);
  if (!current) return std::nullopt;
  auto previous = settings.get(kPrevious);
  FormSecrets out;
  auto opened = open_value(data_key_, *current);
  out.current = std::move(opened.secret);
  out.current_since = opened.since;
  if (previous && !previous->empty()) out.previous = open_value(data_key_, *previous).secret;
  out.stored = *current + "|" + previous.value_or("");
  return out;
}

FormSecrets FormSecretStore::ensure() {
  const auto due = [&](const std::optional<FormSecrets>& s) {
    return !s || clock_.now() - s->current_since >= kFormSecretRotation;
  };
  if (auto stored = load(); !due(stored)) return *stored;

  auto tx = store_.begin();
  auto stored = load();  // again under the write lock: another node may have done it
  if (!due(stored)) return *stored;
  Bytes secret(32);
  rng_.fill(secret);
  const auto now = clock_.now();
  auto& settings = store_.settings();
  if (stored) settings.put(kPrevious, *settings.get(kCurrent));
  settings.put(kCurrent, seal_value(data_key_, secret, now, rng_));
  record(store_, clock_, actor_, stored ? "form_secret.rotate" : "form_secret.create", "web:form_secret",
         "since=" + format_rfc3339(now));
  tx->commit();
  return *load();
}

}  // namespace inkan::service
