#pragma once
// The wording of the expiry mail, in Japanese (the seed's: 「クライアント証明書の有効期限が近づいて
// います」, 「更新せず有効期限切れとなった場合、サービスが利用できなくなりますので、ご注意ください。」)
// and in English, by the administrator's language. Pure text; MIME is the transport's.
#include <string>
#include <vector>

#include "ca/domain/admin.hpp"
#include "ca/domain/local_time.hpp"
#include "ca/domain/records.hpp"

namespace inkan::service {

// "90", "30", "7" (days) or "expired".
inline constexpr const char* kExpiredThreshold = "expired";

struct ExpiryMailLine {
  std::string common_name;
  Serial serial;
  CertKind kind = CertKind::Terminal;
  Timestamp not_after{};
  long days_left = 0;  // negative once expired
};

struct ExpiryMailText {
  std::string subject;
  std::string body;
};

// The expiry times are written in `zone` (the installation's: 2027/01/06 09:00 JST in Japanese,
// 2027-01-06 09:00 JST in English).
ExpiryMailText compose_expiry_mail(MailLanguage language, const std::string& tenant_name, const std::string& threshold,
                                   const std::vector<ExpiryMailLine>& lines, const TimeZone& zone);

}  // namespace inkan::service
