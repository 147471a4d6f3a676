#pragma once
// The data behind the management site's screens (TOP, テナント情報, 証明書管理, ログイン履歴),
// always within the actor's TenantScope. Data only: rendering is the web layer's job.
#include <optional>
#include <string>
#include <vector>

#include "ca/service/admin/tenant_scope.hpp"
#include "ca/store/admin_repositories.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct Dashboard {  // TOP
  StatusCounts counts;
  std::vector<CertificateRecord> expiring_soon;  // active, notAfter within `within_days`, soonest first
  std::int64_t expiring_total = 0;
  int within_days = 90;
};

struct CertificateListRequest {  // 証明書管理
  std::optional<std::string> tenant_id;  // operators: nullopt = all tenants
  std::optional<CertStatus> status;
  std::optional<CertKind> kind;
  std::optional<int> expiring_within_days;  // 0..3650; implies status Active unless one is given
  std::optional<std::string> search;        // CN prefix or serial prefix, at most 64 characters
  std::size_t page = 1;                     // 1-based
  std::size_t page_size = 50;               // 1..200
};

// The list counts at most this many matches (200 pages of 50): counting every match of a broad
// filter at a million certificates would cost more than the page (inkan-bench store).
inline constexpr std::size_t kCertificateListCountLimit = 10'000;

struct CertificateListPage {
  std::vector<CertificateRecord> rows;  // without the DER
  std::int64_t total = 0;
  std::size_t page = 1;
  std::size_t page_size = 50;
  bool total_capped = false;  // more matched than kCertificateListCountLimit: total is that limit
  std::size_t pages() const { return total == 0 ? 1 : (static_cast<std::size_t>(total) + page_size - 1) / page_size; }
};

struct CertificateDetail {  // 申請済証明書詳細
  CertificateRecord record;
  // The lineage links, each only when the actor may open it (always the same tenant today).
  std::optional<Serial> predecessor;
  std::optional<Serial> successor;
};

struct LoginHistoryPage {
  std::vector<LoginAttempt> rows;  // newest first
  std::int64_t total = 0;
};

class AdminQueries {
 public:
  AdminQueries(Store& store, const Clock& clock, TenantScope scope)
      : store_(store), clock_(clock), scope_(std::move(scope)) {}

  Dashboard dashboard(const std::optional<std::string>& tenant_id = std::nullopt, int within_days = 90,
                      std::size_t limit = 10);
  CertificateListPage certificates(const CertificateListRequest& request);
  CertificateDetail certificate(const Serial& serial);
  std::vector<Tenant> tenants();  // operators: all; a tenant administrator: their own
  Tenant tenant(const std::string& tenant_id);
  LoginHistoryPage login_history(const std::optional<std::string>& tenant_id = std::nullopt,
                                 std::size_t limit = 100, std::size_t offset = 0);

 private:
  Store& store_;
  const Clock& clock_;
  TenantScope scope_;
};

}  // namespace inkan::service
