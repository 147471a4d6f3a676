#pragma once
// Printable password slips (issue 16 item 10): one slip per terminal with its facility, CN,
// serial, expiry and p12 password, for a tenant or one batch job. The passwords leave the store
// in clear text, so building a sheet is audited as one password.reveal, like `inkan password`.
// The HTML is web/password_slips.hpp's (one escaped template for the site and the CLI).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/records.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct PasswordSlip {
  std::string cn;
  Serial serial = Serial::from_bytes({1});
  CertKind kind = CertKind::Terminal;
  Timestamp not_after{};
  std::string p12_file;  // policy::credential_file_stem + ".p12": the name in the batch's zip
  std::string password;
};

struct PasswordSlipSheet {
  Tenant tenant;
  std::optional<std::int64_t> job_id;
  Timestamp made_at{};
  std::vector<PasswordSlip> slips;  // by CN, then serial
};

class PasswordSlips {
 public:
  PasswordSlips(Store& store, Keyring& keyring, const Clock& clock, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), actor_(std::move(actor)) {}

  // Without `job_id`: the tenant's active certificates that hold a stored credential. With it:
  // the certificates that batch job issued for the tenant that are still active. Operator
  // certificates never (they are the CLI's). Error(NotFound) for an unknown tenant, and for a
  // job that is unknown or issued nothing for this tenant (the same answer: a tenant learns
  // nothing of other tenants' jobs). Audited as password.reveal on tenant:<id>, naming the job.
  PasswordSlipSheet sheet(const std::string& tenant_id, std::optional<std::int64_t> job_id = std::nullopt);

 private:
  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  Actor actor_;
};

}  // namespace inkan::service
