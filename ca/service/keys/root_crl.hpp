#pragma once
// The offline root's CRL (issue 18). The root signs it where its file is (`inkan root crl`, no
// data directory), and the appliance imports it (`inkan ca import-crl`) to serve it beside the
// issuing CAs' CRLs, so a relying party that checks the whole chain (nginx's ssl_crl with
// crl_check_all) finds a current CRL for every CA in it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct RootCrlRequest {
  std::uint64_t number = 0;  // must increase from one CRL to the next
  Timestamp this_update{};
  std::chrono::days lifetime{30};     // nextUpdate = thisUpdate + lifetime (1..366 days)
  std::vector<RevokedEntry> revoked;  // issuing CAs the root has revoked
};

// Signs the root's CRL (v2, CRL number, AKI, reason codes). InvalidArgument for a bad lifetime
// or number.
Bytes make_root_crl(const crypto::SigningCa& root, const RootCrlRequest& request, crypto::Rng& rng);

struct ImportedRootCrl {
  std::uint64_t number = 0;
  Timestamp this_update{}, next_update{};
  std::size_t entries = 0;
  bool unchanged = false;  // the same CRL was already imported
};

// `inkan ca import-crl`: `der` must be signed by this installation's root (InvalidArgument
// otherwise), not yet past its nextUpdate (InvalidState), and newer than the CRL imported
// before (InvalidState for an older or equal number with other content). Stored and audited
// (crl.import).
ImportedRootCrl import_root_crl(Store& store, const Clock& clock, const Actor& actor, const Bytes& der);

// The imported root CRL (DER), if any.
std::optional<Bytes> imported_root_crl(Store& store);

}  // namespace inkan::service
