#include "ca/service/notify/expiry_mail.hpp"

namespace inkan::service {
namespace {

std::string kind_text(MailLanguage l, CertKind k) {
  if (l == MailLanguage::Ja) return k == CertKind::TenantAdmin ? "管理者用" : "端末";
  return k == CertKind::TenantAdmin ? "administrator" : "terminal";
}

std::string line_text(MailLanguage l, const ExpiryMailLine& x, const TimeZone& zone) {
  std::string out = "- " + x.common_name + " (" + kind_text(l, x.kind) + ")\n";
  if (l == MailLanguage::Ja) {
    out += "  シリアル番号: " + x.serial.hex() + "\n  有効期限: " + format_local(x.not_after, zone, TimeNotation::Japanese, TimeStyle::Minute);
    out += x.days_left >= 0 ? "（残り" + std::to_string(x.days_left) + "日）\n" : "（期限切れ）\n";
  } else {
    out += "  Serial: " + x.serial.hex() + "\n  Expires: " + format_local(x.not_after, zone, TimeNotation::English, TimeStyle::Minute);
    out += x.days_left >= 0 ? " (" + std::to_string(x.days_left) + " days left)\n" : " (expired)\n";
  }
  return out;
}

}  // namespace

ExpiryMailText compose_expiry_mail(MailLanguage l, const std::string& tenant_name, const std::string& threshold,
                                   const std::vector<ExpiryMailLine>& lines, const TimeZone& zone) {
  const bool expired = threshold == kExpiredThreshold;
  const auto count = std::to_string(lines.size());
  ExpiryMailText m;
  if (l == MailLanguage::Ja) {
    m.subject = expired ? "【inkan】クライアント証明書の有効期限が切れています（" + tenant_name + "、" + count + "件）"
                        : "【inkan】クライアント証明書の有効期限が近づいています（残り" + threshold + "日以内、" +
                              tenant_name + "、" + count + "件）";
    m.body = tenant_name + " ご担当者様\n\n";
    m.body += expired ? "次のクライアント証明書の有効期限が切れました。\n"
                        "期限切れ後にクライアント証明書を更新する場合は、別途クライアント証明書を受取りインストール作業が必要です。\n"
                      : "次のクライアント証明書の有効期限が近づいています（残り" + threshold + "日以内）。\n"
                        "更新せず有効期限切れとなった場合、サービスが利用できなくなりますので、ご注意ください。\n"
                        "期限切れ前に更新をおこなってください。\n";
    m.body += "\n";
    for (const auto& x : lines) m.body += line_text(l, x, zone);
    m.body += "\nこのメールは inkan から自動で送信されています。\n";
  } else {
    m.subject = expired ? "[inkan] Client certificates have expired (" + tenant_name + ", " + count + ")"
                        : "[inkan] Client certificates expire within " + threshold + " days (" + tenant_name + ", " +
                              count + ")";
    m.body = "To the administrators of " + tenant_name + ",\n\n";
    m.body += expired ? "The following client certificates have expired. A terminal whose certificate expired\n"
                        "needs a new certificate handed to it and installed.\n"
                      : "The following client certificates expire within " + threshold + " days. A terminal whose\n"
                        "certificate expires can no longer use the service: renew them before they expire.\n";
    m.body += "\n";
    for (const auto& x : lines) m.body += line_text(l, x, zone);
    m.body += "\nThis message was sent automatically by inkan.\n";
  }
  return m;
}

}  // namespace inkan::service
