#pragma once
// iCalendar (RFC 5545) rendering of renewal dates, for air-gapped offices' calendars.
#include <string>
#include <vector>

#include "ca/service/lifecycle/expiry_report.hpp"

namespace inkan::cli {

// Two all-day events per certificate: the day its renewal window opens, and its expiry day.
std::string render_ics(const std::vector<service::ExpiringCertificate>& certs, Timestamp now);

}  // namespace inkan::cli
