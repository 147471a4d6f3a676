#include "ca/service/issuance/password_slips.hpp"

#include <algorithm>

#include "ca/domain/error.hpp"
#include "ca/policy/download_name.hpp"

namespace inkan::service {
namespace {

// The certificates a sheet covers, before their passwords are opened.
std::vector<CertificateRecord> select(Store& store, const std::string& tenant_id, std::optional<std::int64_t> job_id,
                                      Timestamp now) {
  std::vector<CertificateRecord> out;
  auto wanted = [&](const CertificateRecord& c) {
    return c.tenant_id == tenant_id && c.kind != CertKind::Operator && c.status_at(now) == CertStatus::Active;
  };
  if (!job_id) {
    CertificateFilter f;
    f.tenant_id = tenant_id;
    f.status = CertStatus::Active;
    f.now = now;
    for (auto& c : store.certificates().list(f))
      if (wanted(c)) out.push_back(std::move(c));
    return out;
  }
  bool issued_for_tenant = false;
  if (store.batches().job(*job_id)) {
    std::int64_t cursor = 0;
    for (;;) {
      auto page = store.batches().items(*job_id, BatchItemState::Committed, cursor, 512);
      if (page.empty()) break;
      cursor = page.back().seq;
      for (const auto& item : page) {
        if (item.tenant_id != tenant_id || !item.new_serial) continue;
        issued_for_tenant = true;
        if (auto c = store.certificates().find(*item.new_serial); c && wanted(*c)) out.push_back(std::move(*c));
      }
    }
  }
  if (!issued_for_tenant)
    throw Error(ErrorCode::NotFound, "batch job " + std::to_string(*job_id) + " issued no certificate for tenant '" +
                                         tenant_id + "'");
  return out;
}

}  // namespace

PasswordSlipSheet PasswordSlips::sheet(const std::string& tenant_id, std::optional<std::int64_t> job_id) {
  auto tenant = store_.tenants().find(tenant_id);
  if (!tenant) throw Error(ErrorCode::NotFound, "unknown tenant '" + tenant_id + "'");
  PasswordSlipSheet sheet;
  sheet.tenant = *tenant;
  sheet.job_id = job_id;
  sheet.made_at = clock_.now();
  auto certs = select(store_, tenant_id, job_id, sheet.made_at);
  std::sort(certs.begin(), certs.end(), [](const auto& a, const auto& b) {
    return a.cn != b.cn ? a.cn < b.cn : a.serial.hex() < b.serial.hex();
  });
  for (const auto& c : certs) {
    auto cred = store_.certificates().credential(c.serial);
    if (!cred) continue;  // signed from a CSR: no password here
    PasswordSlip slip;
    slip.cn = c.cn;
    slip.serial = c.serial;
    slip.kind = c.kind;
    slip.not_after = c.not_after;
    slip.p12_file = policy::credential_file_stem(c.tenant_id, c.cn, c.serial) + ".p12";
    slip.password = keyring_.data_key().open({cred->password_nonce, cred->password_ciphertext}, c.serial.hex());
    sheet.slips.push_back(std::move(slip));
  }
  auto tx = store_.begin();
  // On the tenant, so its administrators see it in their 操作履歴 (a batch job spans tenants).
  record(store_, clock_, actor_, "password.reveal", "tenant:" + tenant_id,
         "password slips for " + std::to_string(sheet.slips.size()) + " certificates" +
             (job_id ? " of batch job " + std::to_string(*job_id) : std::string()));
  tx->commit();
  return sheet;
}

}  // namespace inkan::service
