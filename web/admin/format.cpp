#include "web/admin/format.hpp"

#include "web/admin/messages.hpp"
#include "web/http/shown_time.hpp"

namespace inkan::web::admin {

std::string status_key(CertStatus status) { return "status_" + std::string(to_string(status)); }

std::string kind_key(CertKind kind) {
  switch (kind) {
    case CertKind::TenantAdmin: return "kind_tenant_admin";
    case CertKind::Operator: return "kind_operator";
    case CertKind::Terminal: break;
  }
  return "kind_terminal";
}

std::int64_t days_left(const CertificateRecord& c, Timestamp now) {
  if (c.not_after <= now) return 0;
  return std::chrono::duration_cast<std::chrono::days>(c.not_after - now).count();
}

View certificate_row(const CertificateRecord& c, Timestamp now, Lang lang, const TimeZone& zone) {
  const CertStatus status = c.status_at(now);
  View v;
  v.set("serial", c.serial.hex()).set("cn", c.cn).set("tenant", c.tenant_id);
  v.set("status", std::string(to_string(status))).set("status_text", tr(status_key(status), lang));
  v.set("kind", std::string(to_string(c.kind))).set("kind_text", tr(kind_key(c.kind), lang));
  if (c.issued_at) set_time(v, "issued", *c.issued_at, zone, lang, TimeStyle::Date).flag("has_issued");
  else v.set("issued", "-");
  set_time(v, "not_after", c.not_after, zone, lang);
  // A revoked certificate has no days left to count (it showed 1095: issue 16, item 16).
  v.set("days_left", status == CertStatus::Revoked ? "-" : std::to_string(days_left(c, now)));
  return v;
}

View& with_tenant_name(View& row, const TenantNames& names, const std::optional<std::string>& tenant_id) {
  if (!tenant_id) return row;
  auto it = names.find(*tenant_id);
  row.set("tenant_id", *tenant_id).set("tenant", it == names.end() || it->second.empty() ? *tenant_id : it->second);
  return row;
}

View login_row(const LoginAttempt& a, Lang lang, const TimeZone& zone) {
  View v;
  set_time(v, "at", a.at, zone, lang, TimeStyle::Second).set("username", a.username).set("address", a.address);
  v.set("tenant", a.tenant_id.value_or("-"));
  v.set("cert_serial", a.cert_serial ? a.cert_serial->hex() : "-");
  v.set("result", std::string(to_string(a.result)));
  v.set("result_text", tr("result_" + std::string(to_string(a.result)), lang));
  v.flag("failed", a.result != LoginResult::Success);
  return v;
}

}  // namespace inkan::web::admin
