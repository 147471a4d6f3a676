#pragma once
// How certificates and login attempts appear on the admin pages: catalog keys of statuses and
// kinds, days left, table rows.
#include <map>
#include <optional>
#include <string>

#include "ca/domain/admin.hpp"
#include "ca/domain/records.hpp"
#include "ca/domain/local_time.hpp"
#include "web/http/i18n.hpp"
#include "web/http/view.hpp"

namespace inkan::web::admin {

std::string status_key(CertStatus status);  // "status_active", ...
std::string kind_key(CertKind kind);        // "kind_terminal", ...
// Whole days until notAfter, 0 once it has passed.
std::int64_t days_left(const CertificateRecord& c, Timestamp now);
// serial, cn, tenant, status_text, status (slug), kind_text, kind, issued, not_after, days_left;
// the times in `zone` (issued as a date), with issued_utc / not_after_utc for <time datetime>.
View certificate_row(const CertificateRecord& c, Timestamp now, Lang lang, const TimeZone& zone);
View login_row(const LoginAttempt& a, Lang lang, const TimeZone& zone);

// Tables show the facility's name, not its id (the id stays in `tenant_id`, e.g. for a title).
using TenantNames = std::map<std::string, std::string>;
View& with_tenant_name(View& row, const TenantNames& names, const std::optional<std::string>& tenant_id);

}  // namespace inkan::web::admin
