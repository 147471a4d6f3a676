#pragma once
// The HTTP side of OCSP (RFC 6960 Appendix A, RFC 5019 §5): the request carried in a GET path,
// and the caching headers of a pre-produced response. Pure functions, fuzzed and unit-tested.
#include <optional>
#include <string>
#include <string_view>

#include "ca/domain/time.hpp"
#include "web/http/http.hpp"

namespace inkan::web {

// A GET path's request: everything after "/ocsp/", percent-decoded (nginx escapes '+', '/' and
// '='; cpp-httplib has usually decoded the path already, and decoding base64 again is
// harmless), then base64 (the URL-safe alphabet is accepted too). nullopt when it does not
// decode or is longer than `max_der` octets decoded.
std::optional<Bytes> ocsp_request_from_path(std::string_view encoded, std::size_t max_der);

// RFC 5019 §6.2: max-age no later than nextUpdate, bounded by `cap`; 0 when nextUpdate is past.
long ocsp_max_age_seconds(Timestamp now, Timestamp next_update, long cap);

// An HTTP-date (RFC 9110 §5.6.7), for Last-Modified.
std::string http_date(Timestamp t);

}  // namespace inkan::web
