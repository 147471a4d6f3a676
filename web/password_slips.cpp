#include "web/password_slips.hpp"

#include "ca/domain/local_time.hpp"
#include "web/http/view.hpp"

namespace inkan::web {

std::string password_slips_html(const service::PasswordSlipSheet& sheet, SlipStyle style, const TimeZone& zone) {
  View v;
  v.set("facility", sheet.tenant.name).set("tenant", sheet.tenant.id);
  v.set("made_at", format_local(sheet.made_at, zone, TimeNotation::English, TimeStyle::Minute)).set("count", std::to_string(sheet.slips.size()));
  if (sheet.job_id) v.set("job", std::to_string(*sheet.job_id)).flag("has_job");
  v.flag("inline_css", style == SlipStyle::Inline).flag("has_slips", !sheet.slips.empty());
  std::size_t n = 0;
  for (const auto& s : sheet.slips) {
    View slip;
    slip.set("number", std::to_string(++n)).set("facility", sheet.tenant.name);
    slip.set("cn", s.cn).set("serial", s.serial.hex()).set("not_after", format_local(s.not_after, zone, TimeNotation::English, TimeStyle::Date));
    slip.set("file", s.p12_file).set("password", s.password);
    slip.flag("tenant_admin", s.kind == CertKind::TenantAdmin);
    v.lists["slips"].push_back(std::move(slip));
  }
  return render("password_slips", v);
}

std::string password_slips_css() { return render("slips_css", View()); }

}  // namespace inkan::web
