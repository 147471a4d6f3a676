#include "ca/service/keys/root_crl.hpp"

#include "ca/crypto/x509/cert_verify.hpp"
#include "ca/crypto/x509/crl_info.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/hex.hpp"

namespace inkan::service {
namespace {

// The root CRL lives in the settings table (hex DER), with its number for the next import.
constexpr const char* kRootCrlDer = "ca.root_crl_der";
constexpr const char* kRootCrlNumber = "ca.root_crl_number";

}  // namespace

Bytes make_root_crl(const crypto::SigningCa& root, const RootCrlRequest& r, crypto::Rng& rng) {
  if (r.lifetime < std::chrono::days(1) || r.lifetime > std::chrono::days(366))
    throw Error(ErrorCode::InvalidArgument, "--next-update-days must be 1 to 366");
  // Botan 2 reads a CRL number back as 32 bits (crypto::inspect_crl), so import-crl could not
  // order larger ones; the Unix-time default fits until 2106.
  if (r.number == 0 || r.number > 0xFFFFFFFFu)
    throw Error(ErrorCode::InvalidArgument, "--crl-number must be 1 to 4294967295");
  crypto::CrlTemplate t;
  t.number = r.number;
  t.this_update = r.this_update;
  t.next_update = r.this_update + r.lifetime;
  t.entries = r.revoked;
  return root.make_crl(t, rng);
}

ImportedRootCrl import_root_crl(Store& store, const Clock& clock, const Actor& actor, const Bytes& der) {
  const auto info = crypto::inspect_crl(der);
  std::optional<CaRecord> signer;
  for (const auto& ca : store.cas().list())
    if (ca.role == CaRole::Root && crypto::signature_verifies(der, crypto::SignedObject::Crl, ca.cert_der)) signer = ca;
  if (!signer)
    throw Error(ErrorCode::InvalidArgument, "the CRL is not signed by this installation's root (issuer " + info.issuer + ")");
  const auto now = clock.now();
  if (info.next_update <= now)
    throw Error(ErrorCode::InvalidState, "the CRL's next update (" + format_rfc3339(info.next_update) +
                                             ") has passed: sign a new one with `inkan root crl`");
  ImportedRootCrl out{info.number, info.this_update, info.next_update, info.revoked.size(), false};
  auto tx = store.begin();
  auto& s = store.settings();
  if (auto before = s.get(kRootCrlDer)) {
    if (hex_decode(*before) == der) {
      out.unchanged = true;
      return out;
    }
    const auto previous = std::stoull(s.get(kRootCrlNumber).value_or("0"));
    if (info.number <= previous)
      throw Error(ErrorCode::InvalidState, "CRL number " + std::to_string(info.number) + " is not newer than the one imported before (" +
                                               std::to_string(previous) + ")");
  }
  s.put(kRootCrlDer, hex_encode(der));
  s.put(kRootCrlNumber, std::to_string(info.number));
  record(store, clock, actor, "crl.import", "ca:" + std::to_string(signer->id),
         "number=" + std::to_string(info.number) + " entries=" + std::to_string(info.revoked.size()) +
             " next_update=" + format_rfc3339(info.next_update));
  tx->commit();
  return out;
}

std::optional<Bytes> imported_root_crl(Store& store) {
  auto hex = store.settings().get(kRootCrlDer);
  if (!hex) return std::nullopt;
  return hex_decode(*hex);
}

}  // namespace inkan::service
