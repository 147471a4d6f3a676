#include "ca/service/lifecycle/certificate_lookup.hpp"

#include <cctype>

#include "ca/domain/error.hpp"

namespace inkan::service {
namespace {

constexpr std::size_t kMinPrefix = 8;  // the prefix in every file name
constexpr std::size_t kShown = 5;

std::string listed(const std::vector<Serial>& serials) {
  std::string out;
  for (std::size_t i = 0; i < serials.size() && i < kShown; ++i) out += (i ? ", " : "") + serials[i].hex();
  if (serials.size() > kShown) out += ", …";
  return out;
}

}  // namespace

Serial resolve_serial(Store& store, std::string_view text) {
  const auto serial = Serial::parse(text);  // validates: hex digits and colons only
  if (store.certificates().find(serial)) return serial;
  std::string digits;
  for (char c : text)
    if (c != ':') digits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (digits.size() < kMinPrefix)
    throw Error(ErrorCode::NotFound, "no certificate with serial " + serial.hex() + " (a prefix needs at least " +
                                         std::to_string(kMinPrefix) + " digits)");
  auto found = store.certificates().serials_with_prefix(digits, kShown + 1);
  if (found.empty()) throw Error(ErrorCode::NotFound, "no certificate with a serial starting with " + digits);
  if (found.size() > 1)
    throw Error(ErrorCode::InvalidArgument,
                "several certificates have serials starting with " + digits + ": " + listed(found) + "; give more digits");
  return found.front();
}

Serial resolve_by_name(Store& store, const std::string& tenant_id, const std::string& cn, bool newest_of_lineage) {
  if (!store.tenants().find(tenant_id)) throw Error(ErrorCode::NotFound, "unknown tenant '" + tenant_id + "'");
  CertificateFilter filter;
  filter.tenant_id = tenant_id;
  std::vector<CertificateRecord> live;
  for (auto& rec : store.certificates().list(filter))
    if (rec.cn == cn && rec.state != CertState::Revoked && rec.state != CertState::Reserved) live.push_back(std::move(rec));
  if (live.empty()) throw Error(ErrorCode::NotFound, "no certificate of '" + cn + "' in tenant " + tenant_id + " is unrevoked");
  if (newest_of_lineage) {  // keep only the ends of the lineages: one lineage must remain
    std::vector<CertificateRecord> ends;
    for (const auto& rec : live)
      if (!rec.successor) ends.push_back(rec);
    if (ends.size() == 1) return ends.front().serial;
  }
  if (live.size() == 1) return live.front().serial;
  std::vector<Serial> serials;
  for (const auto& rec : live) serials.push_back(rec.serial);
  throw Error(ErrorCode::InvalidArgument, std::to_string(live.size()) + " unrevoked certificates of '" + cn +
                                              "' in tenant " + tenant_id + ": " + listed(serials) +
                                              "; name one by serial" + (newest_of_lineage ? "" : ", or add --lineage"));
}

}  // namespace inkan::service
